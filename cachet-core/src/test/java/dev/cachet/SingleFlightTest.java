package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One computation per key, however many threads ask at once; recursion from any thread. */
@Timeout(30)
class SingleFlightTest {
  private static final int THREADS = 16;
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  // Plain tests looping over the policies, not @ParameterizedTest: PIT's JUnit 5 plugin
  // (1.2.3) credits no kill to a parameterized invocation (docs/TESTING.md).
  @Test
  void concurrentCallersOfOneMissingKeyShareOneComputation() throws Exception {
    for (EvictionPolicy policy : EvictionPolicy.values()) {
      concurrentCallersShareOneComputation(policy);
    }
  }

  private void concurrentCallersShareOneComputation(EvictionPolicy policy) throws Exception {
    Cachet cachet = Cachet.builder().policy(policy).build();
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch allWaiting = new CountDownLatch(1);
    MemoizedFunction<String, String> slow = cachet.memoize("slow", (String q) -> {
      calls.incrementAndGet();
      await(allWaiting);
      return "answer to " + q;
    });

    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      results.add(pool.submit(() -> {
        start.await();
        return slow.apply("q");
      }));
    }
    // Release the computation only once every caller is waiting on it or has passed the
    // lookup: the hit+miss counter reaching THREADS proves all of them asked.
    while (slow.cacheInfo().hits() + slow.cacheInfo().misses() < THREADS) {
      Thread.onSpinWait();
    }
    allWaiting.countDown();

    for (Future<String> f : results) {
      assertThat(f.get(10, TimeUnit.SECONDS)).as(policy.name()).isEqualTo("answer to q");
    }
    assertThat(calls).hasValue(1);
    assertThat(slow.cacheInfo().misses()).isEqualTo(1);
    assertThat(slow.cacheInfo().hits()).isEqualTo(THREADS - 1);
  }

  @Test
  void aFailureReachesEveryWaiterAndNothingIsCached() throws Exception {
    Cachet cachet = Cachet.create();
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    MemoizedFunction<String, String> failing = cachet.memoize("failing", (String q) -> {
      if (calls.incrementAndGet() == 1) {
        await(release);
        throw new IllegalStateException("model overloaded");
      }
      return "ok";
    });

    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      results.add(pool.submit(() -> {
        start.await();
        return failing.apply("q");
      }));
    }
    while (failing.cacheInfo().hits() + failing.cacheInfo().misses() < THREADS) {
      Thread.onSpinWait();
    }
    release.countDown();

    for (Future<String> f : results) {
      try {
        f.get(10, TimeUnit.SECONDS);
        throw new AssertionError("every waiter must see the failure");
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(IllegalStateException.class)
            .hasMessage("model overloaded");
      }
    }
    assertThat(calls).hasValue(1);
    assertThat(failing.cacheInfo().currSize()).isZero();
    assertThat(failing.apply("q")).isEqualTo("ok");
  }

  @Test
  void manyThreadsOnManyKeysAlwaysGetTheRightValue() throws Exception {
    for (EvictionPolicy policy : EvictionPolicy.values()) {
      manyThreadsGetTheRightValue(policy);
    }
  }

  private void manyThreadsGetTheRightValue(EvictionPolicy policy) throws Exception {
    Cachet cachet = Cachet.builder().policy(policy).maximumSize(64).build();
    AtomicInteger calls = new AtomicInteger();
    MemoizedFunction<Integer, String> f = cachet.memoize("f", (Integer k) -> {
      calls.incrementAndGet();
      return "v" + k;
    });
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int seed = t;
      results.add(pool.submit(() -> {
        start.await();
        int wrong = 0;
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
          int k = r.nextInt(200);
          if (!f.apply(k).equals("v" + k)) {
            wrong++;
          }
          if (i % 1000 == 0) {
            f.invalidate(r.nextInt(200));
          }
        }
        return wrong;
      }));
    }
    for (Future<Integer> r : results) {
      assertThat(r.get(20, TimeUnit.SECONDS)).isZero();
    }
    cachet.invalidateAll();
    assertThat(f.cacheInfo().misses()).isEqualTo(calls.get());
    assertThat(f.cacheInfo().hits() + f.cacheInfo().misses()).isEqualTo(THREADS * 20_000L);
  }

  /**
   * Fork/join workers run other tasks while they join, so loads nest across threads and even
   * re-enter a key on the thread computing it; repeated because work stealing varies by run.
   */
  @RepeatedTest(100)
  void recursiveMemoizedFunctionsWorkAcrossForkJoinThreads() throws Exception {
    Cachet cachet = Cachet.create();
    AtomicInteger calls = new AtomicInteger();
    ForkJoinPool fj = new ForkJoinPool(4);
    try {
      var holder = new Object() {
        MemoizedFunction<Integer, Long> fib;
      };
      holder.fib = cachet.memoize("fib", (Integer n) -> {
        calls.incrementAndGet();
        if (n < 2) {
          return (long) n;
        }
        // Fork one branch so the recursion really crosses threads.
        RecursiveTask<Long> left = new RecursiveTask<>() {
          @Override
          protected Long compute() {
            return holder.fib.apply(n - 1);
          }
        };
        left.fork();
        long right = holder.fib.apply(n - 2);
        return left.join() + right;
      });
      long fib60 = fj.submit(() -> holder.fib.apply(60)).get(20, TimeUnit.SECONDS);
      assertThat(fib60).isEqualTo(1_548_008_755_920L);
      // Each of fib(0..60) is computed at least once; a worker that finds a key already being
      // loaded computes it too rather than risk blocking the pool, at most once per worker.
      assertThat(calls.get()).isBetween(61, 61 * (4 + 1));
      assertThat(holder.fib.cacheInfo().currSize()).isEqualTo(61);
    } finally {
      fj.shutdownNow();
    }
  }

  @Test
  void invalidationDuringALoadKeepsTheStaleResultOutOfTheCache() throws Exception {
    Cachet cachet = Cachet.create();
    AtomicInteger version = new AtomicInteger(1);
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch invalidated = new CountDownLatch(1);
    MemoizedFunction<String, Integer> read = cachet.memoize("read", (String k) -> {
      int seen = version.get();
      loading.countDown();
      await(invalidated);
      return seen;
    });

    Future<Integer> first = pool.submit(() -> read.apply("k"));
    loading.await();
    version.set(2);
    read.invalidate("k");
    invalidated.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    // The caller that started before the invalidation got its answer, but it was not stored.
    assertThat(read.apply("k")).isEqualTo(2);
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
}
