package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.tier.HeapServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a memoized function's {@code toString} and {@code cacheInfo} say about its settings: the
 * first thing a user reads when a cache does not behave as expected.
 */
class CacheDescriptionTest {

  @Test
  void aFunctionWithTheDefaultsIsDescribedByItsPolicyAndBoundOnly() {
    try (Cachet cachet = Cachet.create()) {
      var f = cachet.memoize("plain", (Integer x) -> x);
      assertThat(f).hasToString("Memoized[plain: policy=ADAPTIVE, maximumSize=10000, size=0]");
    }
  }

  @Test
  void everySettingThatDiffersFromTheDefaultIsDescribed() {
    HeapServer server = new HeapServer();
    try (Cachet cachet = Cachet.builder().store(server.connect()).build()) {
      var f = cachet.function("all")
          .policy(EvictionPolicy.LRU)
          .maximumWeight(50, (k, v) -> 1)
          .expireAfterWrite(Duration.ofSeconds(10))
          .expireAfterAccess(Duration.ofSeconds(20))
          .expireAfter((k, v) -> null)
          .typed(true)
          .version("7")
          .tags("prices")
          .fleetSingleFlight(Duration.ofSeconds(3))
          .staleWhileRevalidate(Duration.ofSeconds(30))
          .earlyRefresh(2.0)
          .memoize((Integer x) -> x);
      assertThat(f.toString()).startsWith("Memoized[all: policy=LRU, maximumWeight=50, ")
          .contains(", expireAfterWrite=PT10S", ", expireAfterAccess=PT20S",
              ", expiry=per-entry", ", typed", ", version=7", ", tiers=[", ", tags=[prices]",
              ", fleetSingleFlight=PT3S", ", staleWhileRevalidate=PT30S", ", earlyRefresh=2.0")
          .doesNotContain("maximumSize");
    }
  }

  @Test
  void boundsOfZeroAreKeptAsGiven() {
    try (Cachet cachet = Cachet.create()) {
      var none = cachet.function("none").maximumSize(0).memoize((Integer x) -> x);
      assertThat(none.cacheInfo().maxSize()).isZero();
      assertThat(none.toString()).contains("maximumSize=0");

      var weightless = cachet.function("weightless").maximumWeight(0, (k, v) -> 0)
          .memoize((Integer x) -> x);
      assertThat(weightless.cacheInfo().maxSize()).isZero();
      assertThat(weightless.toString()).contains("maximumWeight=0").doesNotContain("maximumSize");
    }
  }
}
