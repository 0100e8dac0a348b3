package dev.cachet.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.EvictionPolicy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caches declared in a properties file named by the manager's URI, and the file's errors. */
class CacheFileTest {
  private final CachetCachingProvider provider = new CachetCachingProvider();
  private final ClassLoader loader = getClass().getClassLoader();

  @TempDir
  Path dir;

  @AfterEach
  void closeManagers() {
    provider.close();
  }

  private Path file(String... lines) throws Exception {
    Path file = dir.resolve("caches.properties");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  @Test
  void declaredCachesExistFromTheStartWithTheirOptions() throws Exception {
    Path file = file(
        "# two caches and a default",
        "cachet.defaults.statistics = true",
        "cachet.caches.users.policy = lru",
        "cachet.caches.users.maximum-size = 10_000",
        "cachet.caches.users.expire-after-write = 10m",
        "cachet.caches.users.key-type = java.lang.Long",
        "cachet.caches.users.value-type = java.lang.String",
        "cachet.caches.users.tags = accounts, tenant-42",
        "cachet.caches.com.example.Book.disk = books-tier",
        "cachet.caches.com.example.Book.statistics = false");
    CacheManager manager = provider.getCacheManager(file.toUri(), loader);

    assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("users", "com.example.Book");
    Cache<Long, String> users = manager.getCache("users", Long.class, String.class);
    CachetConfiguration<?, ?> config = users.getConfiguration(CachetConfiguration.class);
    assertThat(config.getPolicy()).isEqualTo(EvictionPolicy.LRU);
    assertThat(config.getMaximumSize()).isEqualTo(10_000);
    assertThat(config.getTags()).containsExactly("accounts", "tenant-42");
    assertThat(config.isStatisticsEnabled()).isTrue();
    assertThat(config.getExpiryPolicyFactory().create())
        .isEqualTo(new ModifiedExpiryPolicy(new Duration(TimeUnit.MINUTES, 10)));
    users.put(1L, "ann");
    assertThat(users.get(1L)).isEqualTo("ann");

    CachetConfiguration<?, ?> book = manager.getCache("com.example.Book")
        .getConfiguration(CachetConfiguration.class);
    assertThat(book.getDiskDirectory()).isEqualTo(dir.resolve("books-tier"));
    assertThat(book.isStatisticsEnabled()).isFalse();
    // Declared caches are there already: creating one again is the usual JCache error.
    assertThatThrownBy(() -> manager.createCache("users", new CachetConfiguration<>()))
        .isInstanceOf(CacheException.class).hasMessageContaining("already exists");
  }

  @Test
  void aClassPathFileIsFoundByAClasspathUriOrByItsName() {
    CacheManager byScheme = provider.getCacheManager(
        URI.create("classpath:cachet-jcache-test.properties"), loader);
    assertThat(byScheme.getCacheNames()).contains("from-classpath");
    CacheManager byName = provider.getCacheManager(URI.create("cachet-jcache-test.properties"),
        loader);
    assertThat(byName.getCache("from-classpath").getConfiguration(CachetConfiguration.class)
        .getMaximumSize()).isEqualTo(42);
  }

  @Test
  void aUriThatNamesNoFileGivesAnEmptyManager() {
    CacheManager manager = provider.getCacheManager(URI.create("my-app"), loader);
    assertThat(manager.getCacheNames()).isEmpty();
    assertThat(provider.getCacheManager().getCacheNames()).isEmpty();
  }

  @Test
  void aMissingFileSaysWhereItLookedAndWhatToDo() {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> provider.getCacheManager(missing.toUri(), loader))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("not found")
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("Create it");
    assertThatThrownBy(() -> provider.getCacheManager(URI.create("classpath:absent.properties"),
        loader))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("no class path resource absent.properties");
  }

  @Test
  void anUnknownOptionIsNamedWithTheOptionsThatExist() throws Exception {
    Path file = file("cachet.caches.users.maximum-sise = 10");
    assertThatThrownBy(() -> provider.getCacheManager(file.toUri(), loader))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("cachet.caches.users.maximum-sise = 10")
        .hasMessageContaining("does not end in a known option")
        .hasMessageContaining("maximum-size");
  }

  @Test
  void aBadValueSaysWhatWasExpected() throws Exception {
    Path file = file("cachet.caches.users.maximum-size = lots");
    assertThatThrownBy(() -> provider.getCacheManager(file.toUri(), loader))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("cachet.caches.users.maximum-size = lots")
        .hasMessageContaining("'lots' is not a whole number")
        .hasMessageContaining("Expected a number of entries");

    Path policy = file("cachet.caches.users.policy = MRU");
    assertThatThrownBy(() -> provider.getCacheManager(policy.toUri(), loader))
        .hasMessageContaining("Expected ADAPTIVE, LRU, LFU or FIFO");

    Path duration = file("cachet.caches.users.expire-after-write = 10 minutes");
    assertThatThrownBy(() -> provider.getCacheManager(duration.toUri(), loader))
        .hasMessageContaining("'10 minutes' is not a duration")
        .hasMessageContaining("such as 500ms, 30s, 10m");

    Path type = file("cachet.caches.users.key-type = com.example.Missing");
    assertThatThrownBy(() -> provider.getCacheManager(type.toUri(), loader))
        .hasMessageContaining("class com.example.Missing is not on the class path");

    Path redis = file("cachet.caches.users.redis = localhost:6379");
    assertThatThrownBy(() -> provider.getCacheManager(redis.toUri(), loader))
        .hasMessageContaining("not a redis:// URI");
  }

  @Test
  void keysOutsideTheFormatAndConflictingExpiriesAreRefused() throws Exception {
    Path file = file("caches.users.maximum-size = 10");
    assertThatThrownBy(() -> provider.getCacheManager(file.toUri(), loader))
        .hasMessageContaining("every key starts with cachet.caches.<cache name>.");

    Path both = file("cachet.caches.u.expire-after-write = 1m",
        "cachet.caches.u.expire-after-access = 1m");
    assertThatThrownBy(() -> provider.getCacheManager(both.toUri(), loader))
        .hasMessageContaining("a cache takes one of expire-after-write, expire-after-access");
  }

  @Test
  void durationsTakeShortUnitsOrIso8601() {
    assertThat(CacheFile.duration("500ms")).isEqualTo(new Duration(TimeUnit.MILLISECONDS, 500));
    assertThat(CacheFile.duration("30s")).isEqualTo(new Duration(TimeUnit.SECONDS, 30));
    assertThat(CacheFile.duration("2h")).isEqualTo(new Duration(TimeUnit.HOURS, 2));
    assertThat(CacheFile.duration("1d")).isEqualTo(new Duration(TimeUnit.DAYS, 1));
    assertThat(CacheFile.duration("PT1M30S"))
        .isEqualTo(new Duration(TimeUnit.MILLISECONDS, 90_000));
    assertThatThrownBy(() -> CacheFile.duration("0s"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
