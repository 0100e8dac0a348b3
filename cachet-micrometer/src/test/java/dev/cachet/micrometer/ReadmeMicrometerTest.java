package dev.cachet.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.MemoizedFunction;
import dev.cachet.llm.LlmCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Metrics (Micrometer)" section (proposed in INTEGRATION-micrometer.md), compiled
 * and run so that it stays true.
 */
class ReadmeMicrometerTest {
  @TempDir
  Path tmp;

  static int fetchPrice(String item) {
    return item.length() * 100;
  }

  @Test
  void metricsSection() {
    Path cacheDir = tmp.resolve(".cachet");
    // --- README metrics section starts here
    MeterRegistry registry = new SimpleMeterRegistry();  // or Spring Boot's, Prometheus, ...
    Cachet cachet = Cachet.builder().disk(cacheDir).build();

    // Every cache of this Cachet, now and later, and its disk and Redis tiers
    CachetCacheMetrics.monitorAll(registry, cachet, "app", "shop");
    // or one cache:  CachetCacheMetrics.monitor(registry, cachet, "price", "app", "shop");
    // or a binder:   new CachetCacheMetrics(cachet, "price", Tags.of("app", "shop"))
    //                    .bindTo(registry);

    MemoizedFunction<String, Integer> price =
        cachet.memoize("price", ReadmeMicrometerTest::fetchPrice);
    price.apply("tea");
    price.apply("tea");
    System.out.println(registry.get("cache.gets")
        .tags("cache", "price", "result", "hit").functionCounter().count());   // 1.0

    // An LLM cache (module cachet-llm)
    LlmCache llm = LlmCache.builder(cachet).name("answers").build();
    LlmCacheMetrics.monitor(registry, llm, "answers", "app", "shop");
    // --- README metrics section ends here

    try {
      assertThat(registry.get("cache.gets").tags("cache", "price", "app", "shop", "result", "hit")
          .functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("cachet.tier.hits").tags("cache", "price", "tier", "memory")
          .functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("cachet.store.writes").tags("tier", "disk:" + cacheDir)
          .functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("cachet.llm.lookups").tags("cache", "answers", "result", "miss")
          .functionCounter().count()).isZero();
    } finally {
      cachet.close();
    }
  }
}
