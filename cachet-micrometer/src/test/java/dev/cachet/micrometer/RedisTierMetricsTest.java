package dev.cachet.micrometer;

import dev.cachet.redis.LocalRedis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.MemoizedFunction;
import dev.cachet.stats.CacheEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes' worth of Cachets sharing the real Redis on 127.0.0.1:6379 (skipped without
 * it, unless CACHET_REQUIRE_REDIS=1): hits served by Redis and the invalidations one sends and
 * the other receives; the circuit breaker of a Redis tier nobody answers for; and a Redis of the
 * test's own that needs a user and password, which must never appear in a metric.
 */
class RedisTierMetricsTest {
  static final AtomicInteger CALLS = new AtomicInteger();

  static int price(String item) {
    CALLS.incrementAndGet();
    return item.length() * 100;
  }

  @Test
  void redisHitsCircuitStateAndInvalidationsSentAndReceived() throws InterruptedException {
    String uri = LocalRedis.uri() + "?prefix=cachet-micrometer-test-" + ProcessHandle.current()
        .pid() + "-" + System.nanoTime();
    CountDownLatch removedByTheOther = new CountDownLatch(1);
    MeterRegistry registryA = new SimpleMeterRegistry();
    MeterRegistry registryB = new SimpleMeterRegistry();
    Meters metersA = new Meters(registryA);
    Meters metersB = new Meters(registryB);
    try (Cachet a = Cachet.builder().redis(uri).build();
        Cachet b = Cachet.builder().redis(uri).listener(event -> {
          if (event.type() == CacheEvent.Type.INVALIDATION) {
            removedByTheOther.countDown();
          }
        }).build()) {
      MemoizedFunction<String, Integer> priceA = a.memoize("price", RedisTierMetricsTest::price);
      MemoizedFunction<String, Integer> priceB = b.memoize("price", RedisTierMetricsTest::price);
      CachetCacheMetrics.monitorAll(registryA, a);
      CachetCacheMetrics.monitorAll(registryB, b);
      try {
        int callsBefore = CALLS.get();
        assertThat(priceA.apply("tea")).isEqualTo(300); // computed, written to Redis
        assertThat(priceB.apply("tea")).isEqualTo(300); // served by Redis
        assertThat(CALLS.get() - callsBefore).isEqualTo(1);

        String redis = b.tiers().get(0).describe();
        assertThat(redis).startsWith("redis:redis://127.0.0.1:6379");
        assertThat(metersB.counter("cachet.tier.hits", "cache", "price", "tier", redis))
            .isEqualTo(1);
        assertThat(metersB.counter("cachet.tier.hits", "cache", "price", "tier", "memory"))
            .isZero();
        assertThat(metersB.counter("cachet.store.gets", "tier", redis, "result", "hit"))
            .isEqualTo(1);
        assertThat(metersA.counter("cachet.store.gets", "tier", redis, "result", "miss"))
            .isEqualTo(1);
        assertThat(metersA.counter("cachet.store.writes", "tier", redis)).isEqualTo(1);
        assertThat(metersB.gauge("cachet.store.circuit.open", "tier", redis)).isZero();
        assertThat(metersB.gauge("cachet.store.entries", "tier", redis)).isPositive();

        priceA.invalidate("tea");
        assertThat(removedByTheOther.await(10, TimeUnit.SECONDS))
            .as("the other Cachet dropped the invalidated entry").isTrue();
        // The bus counts a message before handing it to the Cachet, so it shows already.
        assertThat(metersB.counter("cachet.invalidations.received", "tier", redis,
            "delivery", "live")).isEqualTo(1);
        assertThat(metersB.counter("cachet.invalidations.received", "tier", redis,
            "delivery", "replayed")).isZero();
        assertThat(metersB.counter("cachet.removals", "cache", "price", "cause", "explicit"))
            .isEqualTo(1);
        // The sender counts once Redis acknowledges, which may come after the delivery.
        assertThat(eventually(() -> metersA.counter("cachet.invalidations.sent", "tier", redis),
            1)).isEqualTo(1);
        assertThat(metersA.counter("cachet.invalidations.send.failures", "tier", redis)).isZero();
        assertThat(metersB.counter("cachet.invalidations.sent", "tier", redis)).isZero();
      } finally {
        a.invalidateAll();
      }
    }
  }

  @Test
  void theCircuitGaugeShowsWhenCallsSkipAnUnreachableRedis() throws IOException {
    int deadPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = free.getLocalPort(); // closed again below: nothing listens there
    }
    MeterRegistry registry = new SimpleMeterRegistry();
    Meters meters = new Meters(registry);
    try (Cachet cachet = Cachet.builder().redis("redis://127.0.0.1:" + deadPort).build()) {
      MemoizedFunction<String, Integer> price =
          cachet.memoize("price", RedisTierMetricsTest::price);
      CachetCacheMetrics.monitorAll(registry, cachet);
      String redis = TierNames.tagValue(cachet.tiers().get(0).describe());
      for (String item : new String[] {"tea", "coffee", "cocoa", "mate"}) {
        assertThat(price.apply(item)).isEqualTo(item.length() * 100); // computed, never an error
      }
      assertThat(meters.gauge("cachet.store.circuit.open", "tier", redis)).isEqualTo(1);
      assertThat(meters.counter("cachet.store.failures", "tier", redis)).isPositive();
      assertThat(meters.gauge("cachet.store.entries", "tier", redis))
          .as("unknown while Redis cannot be asked").isNaN();
    }
  }

  @Test
  void aRedisUserAndPasswordNeverReachAMetric(@TempDir Path dir) throws Exception {
    try (PasswordProtectedRedis server = PasswordProtectedRedis.start(dir, "alice", "s3cret-pw")) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      String uri = "redis://alice:s3cret-pw@127.0.0.1:" + server.port();
      try (Cachet cachet = Cachet.builder().redis(uri).build()) {
        MemoizedFunction<String, Integer> price =
            cachet.memoize("price", RedisTierMetricsTest::price);
        CachetCacheMetrics.monitorAll(registry, cachet);
        price.apply("tea");
        cachet.invalidateAll("price");

        // The store names its ACL user (never the password); the tag drops both.
        assertThat(cachet.tiers().get(0).describe()).contains("alice@");
        String scrape = registry.scrape();
        String tier = "redis:redis://127.0.0.1:" + server.port() + " (prefix cachet)";
        // The write reached Redis: the credentials were used, and are nowhere in the output.
        assertThat(scrape).contains(
            "cachet_store_writes_total{tier=\"" + tier + "\"} 1.0",
            "cachet_tier_hits_total{cache=\"price\",tier=\"" + tier + "\"} 0.0",
            "cachet_invalidations_sent_total{tier=\"" + tier + "\"}");
        assertThat(scrape).doesNotContain("s3cret-pw").doesNotContain("alice");
      }
    }
  }

  /** Polls until {@code value} reaches {@code expected}, for at most ten seconds. */
  private static double eventually(DoubleSupplier value, double expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    double v = value.getAsDouble();
    while (v < expected && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      v = value.getAsDouble();
    }
    return v;
  }
}
