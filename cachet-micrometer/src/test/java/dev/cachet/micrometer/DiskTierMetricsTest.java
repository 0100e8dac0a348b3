package dev.cachet.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.MemoizedFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meters of a Cachet with a real disk tier below memory. */
class DiskTierMetricsTest {
  static final AtomicInteger CALLS = new AtomicInteger();

  @TempDir
  Path dir;

  static int price(String item) {
    CALLS.incrementAndGet();
    return item.length() * 100;
  }

  @Test
  void aHitServedByDiskAfterARestartIsCountedForTheDiskTier() {
    try (Cachet first = Cachet.builder().disk(dir).build()) {
      first.memoize("price", DiskTierMetricsTest::price).apply("tea");
    }
    MeterRegistry registry = new SimpleMeterRegistry();
    Meters meters = new Meters(registry);
    String[] store;
    try (Cachet second = Cachet.builder().disk(dir).build()) {
      MemoizedFunction<String, Integer> price =
          second.memoize("price", DiskTierMetricsTest::price);
      CachetCacheMetrics.monitorAll(registry, second, "app", "shop");
      int callsBefore = CALLS.get();

      assertThat(price.apply("tea")).isEqualTo(300); // from disk
      assertThat(price.apply("tea")).isEqualTo(300); // from memory, promoted
      assertThat(price.apply("coffee")).isEqualTo(600); // computed, written through
      assertThat(CALLS.get() - callsBefore).isEqualTo(1);

      String disk = "disk:" + dir;
      String[] cache = {"cache", "price", "app", "shop"};
      assertThat(meters.counter("cachet.tier.hits", CachetCacheMetricsTest.with(cache, "tier",
          disk))).isEqualTo(1);
      assertThat(meters.counter("cachet.tier.hits", CachetCacheMetricsTest.with(cache, "tier",
          "memory"))).isEqualTo(1);
      assertThat(meters.counter("cache.gets", CachetCacheMetricsTest.with(cache, "result",
          "hit"))).isEqualTo(2);
      assertThat(meters.counter("cache.gets", CachetCacheMetricsTest.with(cache, "result",
          "miss"))).isEqualTo(1);

      // The store's own counters; a disk store's are shared by every process using it.
      store = new String[] {"tier", disk, "app", "shop"};
      assertThat(meters.gauge("cachet.store.entries", store)).isEqualTo(2);
      assertThat(meters.gauge("cachet.store.size", store)).isPositive();
      assertThat(meters.counter("cachet.store.writes", store)).isEqualTo(2);
      assertThat(meters.counter("cachet.store.gets", CachetCacheMetricsTest.with(store, "result",
          "hit"))).isEqualTo(1);
      // "tea" in the first process, "coffee" in this one.
      assertThat(meters.counter("cachet.store.gets", CachetCacheMetricsTest.with(store, "result",
          "miss"))).isEqualTo(2);
      assertThat(meters.counter("cachet.store.corruptions", store)).isZero();
      assertThat(meters.counter("cachet.store.failures", store)).isZero();
      assertThat(meters.gauge("cachet.store.circuit.open", store)).isZero();
      // A disk store has no bus: other processes see its changes in the shared files.
      assertThat(meters.has("cachet.invalidations.sent")).isFalse();
    }
    // A closed store cannot answer: a scrape still succeeds, the gauge reads NaN.
    assertThat(meters.gauge("cachet.store.entries", store)).isNaN();
  }
}
