package dev.cachet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Builds the Redis benchmark's state against the redis-server on 127.0.0.1:6379 and calls every
 * benchmark method, timing nothing: a Redis benchmark broken by a change fails the build instead
 * of the next run. Skipped without a server, unless {@code CACHET_REQUIRE_REDIS=1}.
 */
class RedisBenchmarkSmokeTest {

  @Test
  void everyContenderHits() {
    boolean up;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 6379), 300);
      up = true;
    } catch (IOException e) {
      up = false;
    }
    if (!up && "1".equals(System.getenv("CACHET_REQUIRE_REDIS"))) {
      throw new AssertionError("CACHET_REQUIRE_REDIS=1 but no redis-server on 127.0.0.1:6379");
    }
    Assumptions.assumeTrue(up, "no redis-server on 127.0.0.1:6379");
    RedisBenchmark.Servers servers = new RedisBenchmark.Servers();
    servers.setUp();
    try {
      RedisBenchmark.Cursor cursor = new RedisBenchmark.Cursor();
      cursor.sequence = new int[RedisBenchmark.SEQUENCE_LENGTH];
      for (int i = 0; i < cursor.sequence.length; i++) {
        cursor.sequence[i] = i % RedisBenchmark.KEYS;
      }
      RedisBenchmark bench = new RedisOneThread();
      for (int i = 0; i < 200; i++) {
        assertNotNull(bench.storeGet(servers, cursor));
        assertNotNull(bench.lettuceGet(servers, cursor));
        assertNotNull(bench.memoizedRedisHit(servers, cursor));
        assertNotNull(bench.memoizedMemoryHitWithRedis(servers, cursor));
        assertNotNull(bench.memoizedMemoryHit(servers, cursor));
      }
      assertEquals(0, servers.store.stats().failures());
    } finally {
      servers.tearDown();
    }
  }
}
