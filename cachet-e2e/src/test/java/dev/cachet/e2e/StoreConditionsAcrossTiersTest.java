package dev.cachet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.Cachet;
import dev.cachet.MemoizedFunction;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What {@code cacheIf} and {@code cacheNulls(false)} refuse is refused by every tier, not only
 * by memory: a rejected result is computed again by this process (memory never had it) and by
 * the next one (the tier below never had it either).
 */
class StoreConditionsAcrossTiersTest {

  @TempDir
  Path temp;

  private final AtomicInteger calls = new AtomicInteger();

  private String fetch(String item) {
    calls.incrementAndGet();
    if (item.equals("gone")) {
      return null;
    }
    return item.equals("flaky") ? "error: try later" : "price of " + item;
  }

  private MemoizedFunction<String, String> memoize(Cachet cachet) {
    return cachet.function("fetch").cacheNulls(false)
        .cacheIf(result -> !((String) result).startsWith("error"))
        .memoize(this::fetch);
  }

  @ParameterizedTest
  @EnumSource(Tier.class)
  void refusedResultsReachNoTier(Tier tier) {
    String location = tier.location(temp);
    try (Cachet cachet = tier.builder(location).build()) {
      MemoizedFunction<String, String> fetch = memoize(cachet);
      assertThat(fetch.apply("gone")).isNull();
      assertThat(fetch.apply("gone")).isNull();
      assertThat(fetch.apply("flaky")).isEqualTo("error: try later");
      assertThat(fetch.apply("flaky")).isEqualTo("error: try later");
      assertThat(fetch.apply("tea")).isEqualTo("price of tea");
      assertThat(fetch.apply("tea")).isEqualTo("price of tea");
      assertThat(calls).as("null and rejected results are computed each time").hasValue(5);
    }
    try (Cachet next = tier.builder(location).build()) {
      MemoizedFunction<String, String> fetch = memoize(next);
      fetch.apply("gone");
      fetch.apply("flaky");
      fetch.apply("tea");
      assertThat(calls).as("the next process finds only the accepted result").hasValue(7);
    }
  }

  @ParameterizedTest
  @EnumSource(Tier.class)
  void cachedNullsReachEveryTierWhenAllowed(Tier tier) {
    String location = tier.location(temp);
    try (Cachet cachet = tier.builder(location).build()) {
      cachet.function("fetch").memoize(this::fetch).apply("gone");
    }
    try (Cachet next = tier.builder(location).build()) {
      assertThat(next.function("fetch").memoize(this::fetch).apply("gone")).isNull();
      assertThat(calls).as("a cached null is read from the tier below").hasValue(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Tier.class)
  void puttingANullThatIsNotCachedDropsTheOldValueEverywhere(Tier tier) {
    String location = tier.location(temp);
    try (Cachet cachet = tier.builder(location).build()) {
      Cache<String, String> prices = cachet.function("prices").version("1").cacheNulls(false)
          .cache(String.class);
      prices.put("tea", "3 EUR");
      prices.put("tea", null);
      assertThat(prices.getIfPresent("tea")).isNull();
    }
    try (Cachet next = tier.builder(location).build()) {
      Cache<String, String> prices = next.function("prices").version("1").cacheNulls(false)
          .cache(String.class);
      assertThat(prices.get("tea", item -> "computed")).as("the old value is gone below memory")
          .isEqualTo("computed");
    }
  }
}
