package dev.cachet.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.EvictionPolicy;
import java.nio.file.Path;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of the README's JCache section, kept compiling and passing. */
class ReadmeJCacheTest {

  /** A value as an application would cache it: serializable, as JCache copies values. */
  record User(long id, String name) implements java.io.Serializable {
  }

  @TempDir
  Path cacheDir;

  @Test
  void jcacheSection() {
    User user = new User(42, "Ada");
    CachingProvider provider =
        Caching.getCachingProvider("dev.cachet.jcache.CachetCachingProvider");
    try {
      // --- README JCache section starts here
      CacheManager manager = provider.getCacheManager();   // Caching.getCachingProvider() alone
                                                           // when Cachet is the only provider
      CachetConfiguration<Long, User> config = new CachetConfiguration<Long, User>()
          .policy(EvictionPolicy.LRU)
          .maximumSize(10_000)
          .disk(cacheDir)                                  // survives restarts
          .tags("users");
      config.setTypes(Long.class, User.class);
      config.setStatisticsEnabled(true);
      Cache<Long, User> users = manager.createCache("users", config);

      users.put(42L, user);
      User found = users.get(42L);                         // a copy: store-by-value
      // --- README JCache section ends here
      assertThat(found).isEqualTo(user).isNotSameAs(user);
      assertThat(users.unwrap(CachetCache.class).statistics().getCacheHits()).isEqualTo(1);
      manager.destroyCache("users");
    } finally {
      provider.close();
    }
  }
}
