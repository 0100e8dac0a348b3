package dev.cachet.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cachet;
import dev.cachet.MemoizedFunction;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memoized functions over a real disk tier: results survive a restart of the Cachet. */
class TieredMemoizeTest {

  record Forecast(String city, LocalDate day, List<Integer> temperatures) {
  }

  static final AtomicInteger CALLS = new AtomicInteger();

  static Forecast forecast(String city) {
    CALLS.incrementAndGet();
    return new Forecast(city, LocalDate.of(2026, 11, 22), List.of(3, 5, 8));
  }

  static Object opaque(String s) {
    CALLS.incrementAndGet();
    return new Object();
  }

  @TempDir
  Path dir;

  @Test
  void aSecondCachetOnTheSameDirectoryGetsResultsFromDisk() {
    CALLS.set(0);
    try (Cachet first = Cachet.builder().disk(dir).build()) {
      MemoizedFunction<String, Forecast> f =
          first.memoize("forecast", TieredMemoizeTest::forecast);
      assertThat(f.apply("Paris").temperatures()).containsExactly(3, 5, 8);
      assertThat(f.apply("Paris").city()).isEqualTo("Paris");
    }
    assertThat(CALLS).hasValue(1);

    try (Cachet second = Cachet.builder().disk(dir).build()) {
      MemoizedFunction<String, Forecast> f =
          second.memoize("forecast", TieredMemoizeTest::forecast);
      Forecast fromDisk = f.apply("Paris");
      assertThat(fromDisk).isEqualTo(forecast("Paris"));
      assertThat(CALLS).hasValue(2); // only the direct call above, not the memoized one
      assertThat(f.cacheInfo().hits()).isEqualTo(1);
      assertThat(f.cacheInfo().misses()).isZero();
    }
  }

  @Test
  void invalidateAndCacheClearReachTheDisk() {
    CALLS.set(0);
    try (Cachet first = Cachet.builder().disk(dir).build()) {
      var f = first.memoize("forecast", TieredMemoizeTest::forecast);
      f.apply("Paris");
      f.apply("Rome");
      f.invalidate("Paris");
    }
    try (Cachet second = Cachet.builder().disk(dir).build()) {
      var f = second.memoize("forecast", TieredMemoizeTest::forecast);
      f.apply("Rome");
      assertThat(CALLS).hasValue(2);
      f.apply("Paris");
      assertThat(CALLS).hasValue(3);
      f.cacheClear();
    }
    try (Cachet third = Cachet.builder().disk(dir).build()) {
      third.memoize("forecast", TieredMemoizeTest::forecast).apply("Rome");
      assertThat(CALLS).hasValue(4);
    }
  }

  @Test
  void aNewVersionStartsFromEmpty() {
    CALLS.set(0);
    try (Cachet first = Cachet.builder().disk(dir).build()) {
      first.function("forecast").version("1").memoize(TieredMemoizeTest::forecast).apply("Oslo");
    }
    try (Cachet second = Cachet.builder().disk(dir).build()) {
      second.function("forecast").version("2").memoize(TieredMemoizeTest::forecast).apply("Oslo");
      second.function("forecast").version("2").memoize(TieredMemoizeTest::forecast).apply("Oslo");
    }
    assertThat(CALLS).hasValue(2);
  }

  @Test
  void aFunctionWithoutVisibleCodeNeedsAVersion() {
    Function<String, Forecast> plain = TieredMemoizeTest::forecast;
    try (Cachet cachet = Cachet.builder().disk(dir).build()) {
      assertThatThrownBy(() -> cachet.memoize("plain", plain))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'plain'")
          .hasMessageContaining("version");
      var versioned = cachet.function("plain").version("1").memoize(plain);
      assertThat(versioned.apply("Nice").city()).isEqualTo("Nice");
    }
  }

  @Test
  void aResultThatCannotBeEncodedIsStillReturnedAndKeptInMemory() {
    CALLS.set(0);
    try (Cachet cachet = Cachet.builder().disk(dir).build()) {
      var f = cachet.memoize("opaque", TieredMemoizeTest::opaque);
      Object first = f.apply("a");
      assertThat(f.apply("a")).isSameAs(first);
      assertThat(CALLS).hasValue(1);
    }
  }

  @Test
  void concurrentCallersShareOneComputationWithTheDiskTier() throws Exception {
    CALLS.set(0);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (Cachet cachet = Cachet.builder().disk(dir).build()) {
      var f = cachet.memoize("forecast", TieredMemoizeTest::forecast);
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<Forecast>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return f.apply("Lyon");
        }));
      }
      for (Future<Forecast> r : results) {
        assertThat(r.get(30, TimeUnit.SECONDS).city()).isEqualTo("Lyon");
      }
      assertThat(CALLS).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
