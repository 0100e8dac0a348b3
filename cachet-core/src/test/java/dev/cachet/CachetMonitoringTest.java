package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What monitoring systems read from a Cachet: one cache's statistics, and new cache names. */
class CachetMonitoringTest {

  @Test
  void statsOfOneNameSumTheCachesSharingItAndAreEmptyForAnUnknownName() {
    try (Cachet cachet = Cachet.create()) {
      assertThat(cachet.stats("length")).isEmpty();
      assertThat(cachet.stats(null)).isEmpty();
      MemoizedFunction<String, Integer> length = cachet.memoize("length", String::length);
      MemoizedFunction<String, String> trim = cachet.memoize("length", String::trim);
      length.apply("a");
      length.apply("a");
      trim.apply(" b ");
      assertThat(cachet.stats("length")).hasValueSatisfying(s -> {
        assertThat(s.hits()).isEqualTo(1);
        assertThat(s.misses()).isEqualTo(2);
        assertThat(s.size()).isEqualTo(2);
      });
      assertThat(cachet.stats("length")).contains(cachet.stats().get("length"));
    }
  }

  @Test
  void newCacheNameListenersHearEachNameOnceAfterItsCacheIsRegistered() {
    try (Cachet cachet = Cachet.create()) {
      cachet.memoize("before", String::length);
      List<String> names = new CopyOnWriteArrayList<>();
      cachet.onNewCacheName(name -> {
        assertThat(cachet.stats(name)).as("registered before the listener runs").isPresent();
        names.add(name);
      });
      cachet.onNewCacheName(name -> {
        throw new IllegalStateException("a broken listener");
      });
      cachet.memoize("square", (Integer x) -> x * x);
      cachet.memoize("square", (Integer x) -> x * x * 1);
      cachet.cache("lengths");
      cachet.function("search").memoize(String::trim);
      assertThat(names).containsExactly("square", "lengths", "search");
    }
  }
}
