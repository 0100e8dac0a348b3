package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The memoized forms of suppliers, callables and two-argument functions: what they count, what
 * {@code wrapped()} and {@code invalidate} give, and that they refresh stale entries like
 * one-argument functions do.
 */
class SuppliersCallablesAndBiFunctionsTest {
  private final FakeTicker ticker = new FakeTicker();
  private final Cachet cachet = Cachet.builder().ticker(ticker).build();

  @AfterEach
  void close() {
    cachet.close();
  }

  /** A spec whose entries go stale after 10 s and are served stale for a minute more. */
  private CacheSpec staleWhileRevalidate(String name) {
    return cachet.function(name).expireAfterWrite(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofSeconds(60));
  }

  /**
   * Calls {@code call} until it gives something other than {@code stale} (the background refresh
   * has landed) or 10 s pass; returns the last answer.
   */
  private static Object awaitRefresh(Callable<?> call, Object stale) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Object seen = call.call();
    while (Objects.equals(seen, stale) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      seen = call.call();
    }
    return seen;
  }

  @Test
  void aSupplierCountsOneMissThenOneHitPerCall() {
    AtomicInteger calls = new AtomicInteger();
    MemoizedSupplier<Integer> s = cachet.memoize("answer", () -> calls.incrementAndGet());
    assertThat(s.get()).isEqualTo(1);
    assertThat(s.get()).isEqualTo(1);
    assertThat(calls).hasValue(1);
    assertThat(s.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 10_000, 1));
  }

  @Test
  void aCallableCountsOneMissThenOneHitPerCall() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Callable<Integer> callable = calls::incrementAndGet;
    MemoizedCallable<Integer> c = cachet.memoize("answer", callable);
    assertThat(c.call()).isEqualTo(1);
    assertThat(c.call()).isEqualTo(1);
    assertThat(calls).hasValue(1);
    assertThat(c.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 10_000, 1));
  }

  @Test
  void aBiFunctionCountsOneMissThenOneHitPerCall() {
    AtomicInteger calls = new AtomicInteger();
    MemoizedBiFunction<Integer, Integer, Integer> add = cachet.memoize("add",
        (Integer a, Integer b) -> {
          calls.incrementAndGet();
          return a + b;
        });
    assertThat(add.apply(2, 3)).isEqualTo(5);
    assertThat(add.apply(2, 3)).isEqualTo(5);
    assertThat(calls).hasValue(1);
    assertThat(add.cacheInfo()).isEqualTo(new CacheInfo(1, 1, 10_000, 1));
  }

  @Test
  void wrappedGivesBackTheOriginalSupplierCallableAndBiFunction() {
    Supplier<String> supplier = () -> "s";
    Callable<String> callable = () -> "c";
    BiFunction<String, String, String> concat = (a, b) -> a + b;
    assertThat(cachet.memoize("s", supplier).wrapped()).isSameAs(supplier);
    assertThat(cachet.memoize("c", callable).wrapped()).isSameAs(callable);
    assertThat(cachet.memoize("b", concat).wrapped()).isSameAs(concat);
  }

  @Test
  void invalidatingASupplierSaysWhetherItHeldAValueAndTheNextCallRecomputes() {
    AtomicInteger calls = new AtomicInteger();
    MemoizedSupplier<Integer> s = cachet.memoize("answer", () -> calls.incrementAndGet());
    assertThat(s.invalidate()).as("nothing cached yet").isFalse();
    s.get();
    assertThat(s.invalidate()).isTrue();
    assertThat(s.invalidate()).as("already dropped").isFalse();
    assertThat(s.get()).isEqualTo(2);
  }

  @Test
  void invalidatingACallableSaysWhetherItHeldAValueAndTheNextCallRecomputes() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Callable<Integer> callable = calls::incrementAndGet;
    MemoizedCallable<Integer> c = cachet.memoize("answer", callable);
    assertThat(c.invalidate()).as("nothing cached yet").isFalse();
    c.call();
    assertThat(c.invalidate()).isTrue();
    assertThat(c.invalidate()).as("already dropped").isFalse();
    assertThat(c.call()).isEqualTo(2);
  }

  @Test
  void invalidatingABiFunctionDropsOnlyThatPairOfArguments() {
    AtomicInteger calls = new AtomicInteger();
    MemoizedBiFunction<Integer, Integer, Integer> add = cachet.memoize("add",
        (Integer a, Integer b) -> {
          calls.incrementAndGet();
          return a + b;
        });
    assertThat(add.invalidate(1, 2)).as("nothing cached yet").isFalse();
    add.apply(1, 2);
    add.apply(2, 1);
    assertThat(add.invalidate(1, 2)).isTrue();
    assertThat(add.invalidate(1, 2)).as("already dropped").isFalse();
    add.apply(2, 1);
    assertThat(calls).as("(2, 1) still cached").hasValue(2);
    add.apply(1, 2);
    assertThat(calls).hasValue(3);
  }

  @Test
  void aStaleSupplierValueIsServedWhileItIsRefreshedInTheBackground() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    MemoizedSupplier<Integer> s = staleWhileRevalidate("rate")
        .memoize((SerializableSupplier<Integer>) calls::incrementAndGet);
    assertThat(s.get()).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(11));

    assertThat(s.get()).as("stale value served at once").isEqualTo(1);
    assertThat(awaitRefresh(s::get, 1)).isEqualTo(2);
    assertThat(calls).hasValue(2);
  }

  @Test
  void aStaleCallableValueIsServedWhileItIsRefreshedInTheBackground() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Callable<Integer> callable = calls::incrementAndGet;
    MemoizedCallable<Integer> c = staleWhileRevalidate("rate").memoize(callable);
    assertThat(c.call()).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(11));

    assertThat(c.call()).as("stale value served at once").isEqualTo(1);
    assertThat(awaitRefresh(c, 1)).isEqualTo(2);
    assertThat(calls).hasValue(2);
  }

  @Test
  void aStaleBiFunctionValueIsServedWhileItIsRefreshedInTheBackground() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    MemoizedBiFunction<Integer, Integer, Integer> add = staleWhileRevalidate("add")
        .memoize((Integer a, Integer b) -> a + b + 100 * calls.incrementAndGet());
    assertThat(add.apply(1, 2)).isEqualTo(103);
    ticker.advance(Duration.ofSeconds(11));

    assertThat(add.apply(1, 2)).as("stale value served at once").isEqualTo(103);
    assertThat(awaitRefresh(() -> add.apply(1, 2), 103)).isEqualTo(203);
    assertThat(calls).hasValue(2);
  }
}
