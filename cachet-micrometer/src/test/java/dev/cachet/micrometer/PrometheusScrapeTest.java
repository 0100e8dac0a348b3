package dev.cachet.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.MemoizedFunction;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Prometheus server scrapes: the standard cache metric names that existing dashboards
 * query, and Cachet's own, with their labels.
 */
class PrometheusScrapeTest {
  @TempDir
  Path dir;

  static int price(String item) {
    return item.length() * 100;
  }

  @Test
  void theScrapeHasTheStandardCacheMetricsAndCachetsOwn() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ManualTicker ticker = new ManualTicker();
    try (Cachet cachet = Cachet.builder().disk(dir).ticker(ticker).build()) {
      MemoizedFunction<String, Integer> price = cachet.memoize("price", (String item) -> {
        ticker.advance(Duration.ofMillis(250));
        return PrometheusScrapeTest.price(item);
      });
      price.apply("tea");
      price.apply("tea");
      price.apply("coffee");
      CachetCacheMetrics.monitorAll(registry, cachet, "app", "shop");

      String scrape = registry.scrape();

      String disk = "disk:" + dir;
      assertThat(scrape).contains(
          "cache_gets_total{app=\"shop\",cache=\"price\",result=\"hit\"} 1.0",
          "cache_gets_total{app=\"shop\",cache=\"price\",result=\"miss\"} 2.0",
          "cache_puts_total{app=\"shop\",cache=\"price\"} 2.0",
          "cache_evictions_total{app=\"shop\",cache=\"price\"} 0.0",
          "cache_size{app=\"shop\",cache=\"price\"} 2.0",
          "cache_load_total{app=\"shop\",cache=\"price\",result=\"success\"} 2.0",
          "cache_load_total{app=\"shop\",cache=\"price\",result=\"failure\"} 0.0",
          "cache_load_duration_seconds{app=\"shop\",cache=\"price\"} 0.5",
          "cachet_tier_hits_total{app=\"shop\",cache=\"price\",tier=\"memory\"} 1.0",
          "cachet_tier_hits_total{app=\"shop\",cache=\"price\",tier=\"" + disk + "\"} 0.0",
          "cachet_removals_total{app=\"shop\",cache=\"price\",cause=\"size\"} 0.0",
          "cachet_store_writes_total{app=\"shop\",tier=\"" + disk + "\"} 2.0",
          "cachet_store_entries{app=\"shop\",tier=\"" + disk + "\"} 2.0",
          "cachet_store_circuit_open{app=\"shop\",tier=\"" + disk + "\"} 0.0");
      assertThat(scrape).containsPattern(
          "cachet_store_size_bytes\\{app=\"shop\",tier=\"" + java.util.regex.Pattern.quote(disk)
              + "\"} [1-9]");
    }
  }
}
