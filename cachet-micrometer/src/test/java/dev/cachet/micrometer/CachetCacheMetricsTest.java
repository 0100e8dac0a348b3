package dev.cachet.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.Cachet;
import dev.cachet.EvictionPolicy;
import dev.cachet.MemoizedFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The per-cache binder over memory-only caches, read through a real registry. */
class CachetCacheMetricsTest {
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final Meters meters = new Meters(registry);

  @Test
  void standardCacheMetersCountHitsMissesLoadsAndEvictions() {
    ManualTicker ticker = new ManualTicker();
    try (Cachet cachet = Cachet.builder().policy(EvictionPolicy.LRU).maximumSize(2).ticker(ticker)
        .build()) {
      MemoizedFunction<Integer, Integer> square = cachet.memoize("square", (Integer x) -> {
        ticker.advance(Duration.ofMillis(5)); // each load takes exactly 5 ms
        if (x < 0) {
          throw new IllegalArgumentException("negative");
        }
        return x * x;
      });
      CachetCacheMetrics.monitor(registry, cachet, "square", "app", "shop");

      square.apply(1);   // miss, load
      square.apply(1);   // hit
      square.apply(2);   // miss, load
      square.apply(3);   // miss, load; LRU evicts 1
      assertThatThrownBy(() -> square.apply(-1)).isInstanceOf(IllegalArgumentException.class);
      square.invalidate(2);

      String[] tags = {"cache", "square", "app", "shop"};
      assertThat(meters.counter("cache.gets", with(tags, "result", "hit"))).isEqualTo(1);
      assertThat(meters.counter("cache.gets", with(tags, "result", "miss"))).isEqualTo(4);
      assertThat(meters.counter("cache.puts", tags)).isEqualTo(3);
      assertThat(meters.counter("cache.evictions", tags)).isEqualTo(1);
      assertThat(meters.gauge("cache.size", tags)).isEqualTo(1);
      assertThat(meters.counter("cache.load", with(tags, "result", "success"))).isEqualTo(3);
      assertThat(meters.counter("cache.load", with(tags, "result", "failure"))).isEqualTo(1);
      assertThat(meters.timeGaugeMillis("cache.load.duration", tags)).isEqualTo(20);
      assertThat(meters.counter("cachet.tier.hits", with(tags, "tier", "memory"))).isEqualTo(1);
      assertThat(meters.counter("cachet.removals", with(tags, "cause", "size"))).isEqualTo(1);
      assertThat(meters.counter("cachet.removals", with(tags, "cause", "expired"))).isZero();
      assertThat(meters.counter("cachet.removals", with(tags, "cause", "explicit"))).isEqualTo(1);
    }
  }

  @Test
  void expiredEntriesCountAsEvictionsByExpiry() {
    ManualTicker ticker = new ManualTicker();
    try (Cachet cachet = Cachet.builder().policy(EvictionPolicy.LRU)
        .expireAfterWrite(Duration.ofMinutes(1)).ticker(ticker).build()) {
      Cache<String, Integer> lengths = cachet.cache("lengths");
      new CachetCacheMetrics(cachet, "lengths", Tags.empty()).bindTo(registry);
      lengths.get("tea", String::length);
      ticker.advance(Duration.ofMinutes(2));
      lengths.get("tea", String::length); // expired: a miss that loads again
      lengths.cleanUp();

      assertThat(meters.counter("cachet.removals", "cache", "lengths", "cause", "expired"))
          .isEqualTo(1);
      assertThat(meters.counter("cache.evictions", "cache", "lengths")).isEqualTo(1);
      assertThat(meters.counter("cache.gets", "cache", "lengths", "result", "miss")).isEqualTo(2);
    }
  }

  @Test
  void aCacheBoundBeforeItExistsReadsZeroThenItsCounts() {
    try (Cachet cachet = Cachet.create()) {
      CachetCacheMetrics.monitor(registry, cachet, "later");
      assertThat(meters.counter("cache.gets", "cache", "later", "result", "miss")).isZero();
      assertThat(meters.gauge("cache.size", "cache", "later")).isZero();

      MemoizedFunction<String, Integer> later = cachet.memoize("later", String::length);
      later.apply("a");
      later.apply("a");
      assertThat(meters.counter("cache.gets", "cache", "later", "result", "hit")).isEqualTo(1);
      assertThat(meters.counter("cache.gets", "cache", "later", "result", "miss")).isEqualTo(1);
      assertThat(meters.gauge("cache.size", "cache", "later")).isEqualTo(1);
    }
  }

  @Test
  void cachesSharingANameAreReportedTogether() {
    try (Cachet cachet = Cachet.create()) {
      MemoizedFunction<String, Integer> first = cachet.memoize("shared", String::length);
      MemoizedFunction<String, String> second = cachet.memoize("shared", String::trim);
      CachetCacheMetrics.monitor(registry, cachet, "shared");
      first.apply("a");
      second.apply(" b ");
      second.apply(" b ");
      assertThat(meters.counter("cache.gets", "cache", "shared", "result", "miss")).isEqualTo(2);
      assertThat(meters.counter("cache.gets", "cache", "shared", "result", "hit")).isEqualTo(1);
      assertThat(meters.gauge("cache.size", "cache", "shared")).isEqualTo(2);
    }
  }

  @Test
  void monitorAllBindsEveryCacheNowAndLaterWithTheGivenTags() {
    try (Cachet cachet = Cachet.create()) {
      MemoizedFunction<String, Integer> length = cachet.memoize("length", String::length);
      MemoizedFunction<String, String> upper =
          cachet.memoize("upper", (String s) -> s.toUpperCase(java.util.Locale.ROOT));
      length.apply("x");
      upper.apply("x");
      upper.apply("x");

      CachetCacheMetrics.monitorAll(registry, cachet, "app", "shop");

      assertThat(meters.counter("cache.gets", "cache", "length", "app", "shop", "result", "miss"))
          .isEqualTo(1);
      assertThat(meters.counter("cache.gets", "cache", "upper", "app", "shop", "result", "hit"))
          .isEqualTo(1);

      // Caches created afterwards are bound too.
      MemoizedFunction<String, Integer> later = cachet.memoize("later", String::length);
      later.apply("y");
      assertThat(meters.counter("cache.gets", "cache", "later", "app", "shop", "result", "miss"))
          .isEqualTo(1);
      assertThat(meters.counter("cachet.tier.hits", "cache", "later", "app", "shop", "tier",
          "memory")).isZero();
      // A memory-only Cachet has no tiers below memory, hence no store meters.
      assertThat(meters.has("cachet.store.gets")).isFalse();
    }
  }

  @Test
  void oddTagListsAreRejected() {
    try (Cachet cachet = Cachet.create()) {
      assertThatThrownBy(() -> CachetCacheMetrics.monitor(registry, cachet, "c", "app"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theRegistryDoesNotKeepADiscardedCachetAlive() {
    WeakReference<Cachet> ref = bindAndDiscard();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ref.get() != null && System.nanoTime() < deadline) {
      System.gc();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    assertThat(ref.get()).as("Cachet collected while its meters are registered").isNull();
    // Its meters stay registered without failing a scrape: counters keep their last count
    // (a counter never goes back), gauges read NaN, which registries skip.
    assertThat(meters.counter("cache.gets", "cache", "gone", "result", "hit")).isEqualTo(1);
    assertThat(meters.gauge("cache.size", "cache", "gone")).isNaN();
  }

  private WeakReference<Cachet> bindAndDiscard() {
    Cachet cachet = Cachet.create();
    MemoizedFunction<String, Integer> gone = cachet.memoize("gone", String::length);
    gone.apply("a");
    gone.apply("a");
    CachetCacheMetrics.monitor(registry, cachet, "gone");
    assertThat(meters.counter("cache.gets", "cache", "gone", "result", "hit")).isEqualTo(1);
    cachet.close();
    return new WeakReference<>(cachet);
  }

  static String[] with(String[] tags, String key, String value) {
    String[] out = java.util.Arrays.copyOf(tags, tags.length + 2);
    out[tags.length] = key;
    out[tags.length + 1] = value;
    return out;
  }
}
