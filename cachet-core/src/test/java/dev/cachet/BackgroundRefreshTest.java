package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.stats.CacheEvent;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When a hit starts a background refresh (stale-while-revalidate, early refresh) and when it
 * must not: fresh entries, the exact moment of expiry, the XFetch draw's dependence on the
 * computation time and on beta, and one refresh at a time per key. Refreshes run on the common
 * fork/join pool, so the tests wait for it to be quiescent (with a bound) before counting.
 */
@Timeout(60)
class BackgroundRefreshTest {

  private static void awaitRefreshes() {
    assertThat(ForkJoinPool.commonPool().awaitQuiescence(10, TimeUnit.SECONDS))
        .as("background refreshes finished").isTrue();
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test latch not released in 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theRefreshOptionsSayWhichOfThemNeedsALifetime() {
    Cachet cachet = Cachet.create();
    assertThatThrownBy(() -> cachet.function("prices")
        .staleWhileRevalidate(Duration.ofSeconds(1)).memoize((Integer x) -> x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cache 'prices': staleWhileRevalidate ")
        .hasMessageContaining("set .expireAfterWrite(...)");
    assertThatThrownBy(() -> cachet.function("report").earlyRefresh().memoize((Integer x) -> x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cache 'report': earlyRefresh ")
        .hasMessageContaining("set .expireAfterWrite(...)");
  }

  @Test
  void aFreshEntryIsNotRefreshed() {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger loads = new AtomicInteger();
    MemoizedFunction<String, Integer> f = Cachet.builder().ticker(ticker).build()
        .function("prices").expireAfterWrite(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofMinutes(1))
        .memoize((String k) -> loads.incrementAndGet());
    f.apply("tea");
    ticker.advance(Duration.ofSeconds(9));
    for (int i = 0; i < 10; i++) {
      assertThat(f.apply("tea")).isEqualTo(1);
    }
    awaitRefreshes();
    assertThat(loads).hasValue(1);
  }

  @Test
  void anEntryIsStaleFromTheExactEndOfItsLifetime() {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger loads = new AtomicInteger();
    MemoizedFunction<String, Integer> f = Cachet.builder().ticker(ticker).build()
        .function("prices").expireAfterWrite(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofMinutes(1))
        .memoize((String k) -> loads.incrementAndGet());
    f.apply("tea");
    ticker.advance(Duration.ofSeconds(10));
    assertThat(f.apply("tea")).as("the stale value, served at once").isEqualTo(1);
    awaitRefreshes();
    assertThat(f.apply("tea")).as("refreshed in the background").isEqualTo(2);
  }

  @Test
  void aLargeBetaRefreshesASlowEntryWellBeforeItExpires() {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger loads = new AtomicInteger();
    MemoizedFunction<String, Integer> f = Cachet.builder().ticker(ticker).build()
        .function("report").expireAfterWrite(Duration.ofSeconds(60)).earlyRefresh(100)
        .memoize((String k) -> {
          if (loads.get() == 0) {
            ticker.advance(Duration.ofSeconds(1)); // the first computation takes 1 s
          }
          return loads.incrementAndGet();
        });
    f.apply("q");
    // 10 s before expiry, a 1 s computation with beta 100 refreshes when -ln(U) >= 0.1: each
    // hit with p = 0.90. (With beta 1 it would need -ln(U) >= 10, p = 0.00005.)
    ticker.advance(Duration.ofSeconds(50));
    for (int i = 0; i < 200 && loads.get() == 1; i++) {
      f.apply("q");
    }
    awaitRefreshes();
    assertThat(loads.get()).as("refreshed before it expired").isGreaterThan(1);
  }

  @Test
  void anEntryFarFromExpiryIsNeverRefreshedEarly() {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger loads = new AtomicInteger();
    MemoizedFunction<String, Integer> f = Cachet.builder().ticker(ticker).build()
        .function("report").expireAfterWrite(Duration.ofSeconds(300)).earlyRefresh(10)
        .memoize((String k) -> {
          ticker.advance(Duration.ofSeconds(1));
          return loads.incrementAndGet();
        });
    f.apply("q");
    // 300 s from expiry, a 1 s computation with beta 10 would need -ln(U) >= 30: p = 1e-13 per
    // hit, never in this test. Far from expiry, closeness must not raise the chance.
    for (int i = 0; i < 2000; i++) {
      f.apply("q");
    }
    awaitRefreshes();
    assertThat(loads).hasValue(1);
  }

  @Test
  void aHitThatSawTheOldEntryJustBeforeARefreshEndedDoesNotRefreshAgain() {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger loads = new AtomicInteger();
    AtomicBoolean armed = new AtomicBoolean();
    CountDownLatch lateHitRead = new CountDownLatch(1);
    // The listener runs between a hit's read of the entry and its decision to refresh: there,
    // the armed hit lets the running refresh finish before going on with the old entry.
    Cachet cachet = Cachet.builder().ticker(ticker).listener(e -> {
      if (e.type() == CacheEvent.Type.HIT && armed.getAndSet(false)) {
        lateHitRead.countDown();
        awaitRefreshes();
      }
    }).build();
    MemoizedFunction<String, Integer> f = cachet.function("prices")
        .expireAfterWrite(Duration.ofSeconds(10)).staleWhileRevalidate(Duration.ofMinutes(1))
        .memoize((String k) -> {
          if (loads.get() == 1) {
            await(lateHitRead);
          }
          return loads.incrementAndGet();
        });
    f.apply("tea");
    ticker.advance(Duration.ofSeconds(11));
    assertThat(f.apply("tea")).as("stale: starts the refresh").isEqualTo(1);

    armed.set(true);
    assertThat(f.apply("tea")).as("read before the refresh stored its value").isEqualTo(1);
    awaitRefreshes();

    assertThat(loads).as("that refresh already replaced what the late hit saw").hasValue(2);
    assertThat(f.apply("tea")).isEqualTo(2);
  }

  @Test
  void aKeyIsRefreshedOnceAtATimeHoweverManyHitsDrawARefresh() {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch refreshing = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    // With this beta every hit draws an early refresh; the ticker stands still, so a refreshed
    // entry carries the same write time as the one it replaces.
    MemoizedFunction<String, Integer> f = Cachet.builder().ticker(ticker).build()
        .function("report").expireAfterWrite(Duration.ofSeconds(60)).earlyRefresh(1e9)
        .memoize((String k) -> {
          int n = loads.incrementAndGet();
          if (n == 1) {
            ticker.advance(Duration.ofMillis(1));
          } else if (n == 2) {
            refreshing.countDown();
            await(finish);
          }
          return n;
        });
    f.apply("q");
    for (int i = 0; i < 100 && refreshing.getCount() > 0; i++) {
      f.apply("q");
    }
    await(refreshing);
    for (int i = 0; i < 5; i++) {
      assertThat(f.apply("q")).as("the old value while the refresh runs").isEqualTo(1);
    }
    finish.countDown();
    awaitRefreshes();
    assertThat(loads).as("one refresh for all those hits").hasValue(2);
  }

  @Test
  void aRefreshThatFindsTheKeyAlreadyLoadingLeavesItToThatLoad() throws Exception {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger loads = new AtomicInteger();
    AtomicReference<Thread> loader = new AtomicReference<>();
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch finishLoad = new CountDownLatch(1);
    MemoizedFunction<String, Integer> f = Cachet.builder().ticker(ticker).build()
        .function("prices").expireAfterWrite(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofMinutes(1))
        .memoize((String k) -> {
          int n = loads.incrementAndGet();
          if (Thread.currentThread() == loader.get()) {
            loading.countDown();
            await(finishLoad);
          }
          return n;
        });
    f.apply("tea");
    ticker.advance(Duration.ofSeconds(11));

    // Keep every worker of the common pool busy, so that the refresh the stale hit queues
    // starts only once a caller's load of the same key is running.
    ForkJoinPool common = ForkJoinPool.commonPool();
    int workers = common.getParallelism();
    CountDownLatch busy = new CountDownLatch(workers);
    CountDownLatch free = new CountDownLatch(1);
    for (int i = 0; i < workers; i++) {
      common.execute(() -> {
        busy.countDown();
        await(free);
      });
    }
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      await(busy);
      assertThat(f.apply("tea")).as("stale: queues a refresh").isEqualTo(1);
      f.invalidate("tea");
      loader.set(caller.submit(Thread::currentThread).get(10, TimeUnit.SECONDS));
      Future<Integer> load = caller.submit(() -> f.apply("tea"));
      await(loading);

      free.countDown();
      awaitRefreshes();
      assertThat(loads).as("the refresh did not compute the key a second time").hasValue(2);

      finishLoad.countDown();
      assertThat(load.get(10, TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(f.apply("tea")).isEqualTo(2);
    } finally {
      free.countDown();
      finishLoad.countDown();
      caller.shutdownNow();
    }
  }
}
