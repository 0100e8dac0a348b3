package dev.cachet.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.redis.LocalRedis;
import java.net.URI;
import java.util.concurrent.ThreadLocalRandom;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis tier shared by two providers (as by two processes), on the redis-server at
 * 127.0.0.1:6379 (skipped without one, unless CACHET_REQUIRE_REDIS=1), under a prefix of the
 * test's own.
 */
class RedisTierTest {
  private final ClassLoader loader = getClass().getClassLoader();
  private final CachetCachingProvider first = new CachetCachingProvider();
  private final CachetCachingProvider second = new CachetCachingProvider();
  private String prefix;
  private String uri;

  @BeforeEach
  void requireRedis() {
    String server = LocalRedis.uri(); // skips, or fails under CACHET_REQUIRE_REDIS=1
    prefix = "cachet-jcache-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    uri = server + "?timeout=5s&prefix=" + prefix;
  }

  @AfterEach
  void cleanUp() {
    first.close();
    second.close();
    if (prefix != null) {
      try (var client = io.lettuce.core.RedisClient.create("redis://127.0.0.1:6379");
          var c = client.connect()) {
        var keys = c.sync().keys(prefix + ":*");
        if (!keys.isEmpty()) {
          c.sync().del(keys.toArray(new String[0]));
        }
      }
    }
  }

  @Test
  void twoManagersShareEntriesThroughRedis() {
    CachetConfiguration<String, String> config = new CachetConfiguration<String, String>()
        .redis(uri);
    Cache<String, String> a = first.getCacheManager(URI.create("a"), loader)
        .createCache("shared", config);
    Cache<String, String> b = second.getCacheManager(URI.create("b"), loader)
        .createCache("shared", config);

    a.put("k", "from a");
    assertThat(b.get("k")).isEqualTo("from a");
    // (a's announcement of that put may still reach b and drop the copy b just read: harmless,
    // b reads it from Redis again.)

    // b's update reaches a's memory through the invalidation bus: a drops its copy.
    b.put("k", "from b");
    awaitSize(a, 0);
    assertThat(a.get("k")).isEqualTo("from b");

    b.remove("k");
    awaitSize(a, 0);
    assertThat(a.get("k")).isNull();

    a.put("x", "1");
    assertThat(b.get("x")).isEqualTo("1");
    a.getCacheManager().destroyCache("shared");
    awaitSize(b, 0);
    assertThat(b.get("x")).isNull();
  }

  private static void awaitSize(Cache<?, ?> cache, long size) {
    CachetCache<?, ?> cachet = cache.unwrap(CachetCache.class);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (cachet.size() != size && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    assertThat(cachet.size()).as("entries in the memory of " + cache.getCacheManager().getURI())
        .isEqualTo(size);
  }
}
