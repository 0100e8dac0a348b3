package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.stats.CacheEvent;
import dev.cachet.tier.HeapServer;
import java.util.ArrayList;
import java.util.Collections;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

  @Test
  void aForkJoinWorkerComputesAKeyAnotherThreadIsLoadingRatherThanWaitForIt() throws Exception {
    List<CacheEvent> events = Collections.synchronizedList(new ArrayList<>());
    Cachet cachet = Cachet.builder().listener(events::add).build();
    CountDownLatch firstLoading = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    MemoizedFunction<String, Integer> f = cachet.memoize("f", (String k) -> {
      int n = calls.incrementAndGet();
      if (n == 1) {
        firstLoading.countDown();
        await(releaseFirst);
      }
      return n;
    });
    Future<Integer> first = pool.submit(() -> f.apply("k"));
    assertThat(firstLoading.await(10, TimeUnit.SECONDS)).isTrue();

    ForkJoinPool fj = new ForkJoinPool(1);
    try {
      // The worker may be needed by the very task the first caller waits for: it must not block.
      assertThat(fj.submit(() -> f.apply("k")).get(10, TimeUnit.SECONDS))
          .as("computed on the worker while the first load still runs").isEqualTo(2);
    } finally {
      releaseFirst.countDown();
      fj.shutdownNow();
    }
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(f.cacheInfo().misses()).as("both computations count as misses").isEqualTo(2);
    assertThat(f.cacheInfo().hits()).isZero();
    assertThat(events).filteredOn(e -> e.type() == CacheEvent.Type.MISS).hasSize(2);
  }

  @Test
  void twoLoadsThatNeedEachOtherOnTwoThreadsFinishInsteadOfDeadlocking() throws Exception {
    ExecutorService one = Executors.newSingleThreadExecutor();
    ExecutorService two = Executors.newSingleThreadExecutor();
    try {
      Thread first = one.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
      CountDownLatch aStarted = new CountDownLatch(1);
      CountDownLatch bStarted = new CountDownLatch(1);
      CountDownLatch firstWaitsForB = new CountDownLatch(1);
      AtomicInteger aCalls = new AtomicInteger();
      AtomicReference<MemoizedFunction<String, String>> self = new AtomicReference<>();
      // A hit recorded on the first thread means it has joined b's flight and is about to wait.
      Cachet cachet = Cachet.builder().listener(e -> {
        if (e.type() == CacheEvent.Type.HIT && Thread.currentThread() == first) {
          firstWaitsForB.countDown();
        }
      }).build();
      self.set(cachet.memoize("pair", (String k) -> {
        if (k.equals("a")) {
          if (aCalls.incrementAndGet() > 1) {
            return "a";
          }
          aStarted.countDown();
          await(bStarted);
          return "A(" + self.get().apply("b") + ")";
        }
        bStarted.countDown();
        await(aStarted);
        await(firstWaitsForB);
        // The first thread waits for b, so waiting here for its a would never end.
        return "B(" + self.get().apply("a") + ")";
      }));

      Future<String> a = one.submit(() -> self.get().apply("a"));
      Future<String> b = two.submit(() -> self.get().apply("b"));

      assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo("B(a)");
      assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("A(B(a))");
      assertThat(aCalls).as("a computed by its owner and once more, nested, on the other thread")
          .hasValue(2);
      assertThat(self.get().cacheInfo().misses()).isEqualTo(3);
      assertThat(self.get().cacheInfo().hits()).isEqualTo(1);
    } finally {
      one.shutdownNow();
      two.shutdownNow();
    }
  }

  @Test
  void aThreadThatWaitedForALoadBeforeIsWaitedForNormallyAfterwards() throws Exception {
    ExecutorService one = Executors.newSingleThreadExecutor();
    ExecutorService two = Executors.newSingleThreadExecutor();
    try {
      Thread first = one.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
      Thread second = two.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
      CountDownLatch xLoading = new CountDownLatch(1);
      CountDownLatch firstJoinedX = new CountDownLatch(1);
      CountDownLatch cLoading = new CountDownLatch(1);
      CountDownLatch secondAskedForC = new CountDownLatch(1);
      AtomicBoolean secondRound = new AtomicBoolean();
      AtomicInteger cCalls = new AtomicInteger();
      Cachet cachet = Cachet.builder().listener(e -> {
        Thread t = Thread.currentThread();
        if (t == first && e.type() == CacheEvent.Type.HIT) {
          firstJoinedX.countDown();
        }
        if (t == second && secondRound.get()
            && (e.type() == CacheEvent.Type.HIT || e.type() == CacheEvent.Type.MISS)) {
          secondAskedForC.countDown();
        }
      }).build();
      MemoizedFunction<String, String> f = cachet.memoize("f", (String k) -> {
        if (k.equals("x")) {
          xLoading.countDown();
          await(firstJoinedX);
        } else {
          cCalls.incrementAndGet();
          cLoading.countDown();
          await(secondAskedForC);
        }
        return k.toUpperCase();
      });

      // The first thread waits for the second's load of x, and gets its result.
      Future<String> xOnSecond = two.submit(() -> f.apply("x"));
      assertThat(xLoading.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(one.submit(() -> f.apply("x")).get(10, TimeUnit.SECONDS)).isEqualTo("X");
      assertThat(xOnSecond.get(10, TimeUnit.SECONDS)).isEqualTo("X");

      // That wait is over: when the second thread asks for what the first is loading, nothing
      // closes a cycle, so it waits for the result instead of computing it again.
      secondRound.set(true);
      Future<String> cOnFirst = one.submit(() -> f.apply("c"));
      assertThat(cLoading.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(two.submit(() -> f.apply("c")).get(10, TimeUnit.SECONDS)).isEqualTo("C");
      assertThat(cOnFirst.get(10, TimeUnit.SECONDS)).isEqualTo("C");
      assertThat(cCalls).hasValue(1);
      assertThat(f.cacheInfo().hits()).isEqualTo(2);
    } finally {
      one.shutdownNow();
      two.shutdownNow();
    }
  }

  private static MemoizedFunction<Integer, Integer> doubled(Cachet cachet, Weigher weigher,
      AtomicInteger calls) {
    CacheSpec spec = cachet.function("doubled").version("1").policy(EvictionPolicy.LRU);
    if (weigher != null) {
      spec = spec.maximumWeight(100, weigher);
    }
    return spec.memoize((Integer x) -> {
      calls.incrementAndGet();
      return x * 2;
    });
  }

  @Test
  void aCallerWaitingForALoadThatFailsInsideTheCacheIsReleasedWithAnError() throws Exception {
    HeapServer server = new HeapServer();
    AtomicInteger calls = new AtomicInteger();
    Cachet a = Cachet.builder().store(server.connect()).build();
    doubled(a, null, calls).apply(1);

    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Thread waiter = other.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
      CountDownLatch waiterJoined = new CountDownLatch(1);
      AtomicBoolean first = new AtomicBoolean(true);
      AtomicReference<MemoizedFunction<Integer, Integer>> fb = new AtomicReference<>();
      AtomicReference<Future<Integer>> waiting = new AtomicReference<>();
      Cachet b = Cachet.builder().store(server.connect()).listener(e -> {
        if (e.type() == CacheEvent.Type.HIT && Thread.currentThread() == waiter) {
          waiterJoined.countDown();
        }
      }).build();
      // A weigher bug: a negative weight for the value read from the shared tier, reported
      // only once another caller has joined the load.
      fb.set(doubled(b, (k, v) -> {
        if (first.getAndSet(false)) {
          waiting.set(other.submit(() -> fb.get().apply(1)));
          await(waiterJoined);
          return -1;
        }
        return 1;
      }, calls));

      assertThatThrownBy(() -> fb.get().apply(1)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("negative weight");
      assertThatThrownBy(() -> waiting.get().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("ended without a result");
      assertThat(calls).as("nothing was recomputed").hasValue(1);
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void aLoadInvalidatedMidwayStoresNothingAndSoEvictsNothing() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch invalidated = new CountDownLatch(1);
    MemoizedFunction<String, String> f = Cachet.create().function("one")
        .policy(EvictionPolicy.LRU).maximumSize(1)
        .memoize((String k) -> {
          calls.incrementAndGet();
          if (k.equals("y")) {
            loading.countDown();
            await(invalidated);
          }
          return k;
        });
    f.apply("x");
    Future<String> y = pool.submit(() -> f.apply("y"));
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    f.invalidate("y");
    invalidated.countDown();
    assertThat(y.get(10, TimeUnit.SECONDS)).isEqualTo("y");

    f.apply("x");
    assertThat(calls).as("x is still cached: y never took its place").hasValue(2);
    assertThat(f.stats().evictionsBySize()).isZero();
    assertThat(f.stats().invalidations()).isZero();
  }

  @Test
  void anInvalidationLandingWhileTheResultIsBeingStoredStillWins() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AtomicBoolean armed = new AtomicBoolean();
    AtomicReference<MemoizedFunction<String, String>> f = new AtomicReference<>();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      // The weigher runs inside the store's put, before the entry is in: the one moment an
      // invalidation from another thread can neither stop the put nor remove what it adds.
      f.set(Cachet.create().function("stored").policy(EvictionPolicy.LRU)
          .maximumWeight(100, (k, v) -> {
            if (armed.getAndSet(false)) {
              get(other.submit(() -> f.get().invalidate("k")));
            }
            return 1;
          })
          .memoize((String k) -> k + calls.incrementAndGet()));
      armed.set(true);

      assertThat(f.get().apply("k")).as("the caller still gets its result").isEqualTo("k1");
      assertThat(f.get().cacheInfo().currSize()).isZero();
      assertThat(f.get().apply("k")).isEqualTo("k2");
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void anotherProcesssInvalidationLandingWhileAResultIsStoredKeepsItOutOfEveryTier()
      throws Exception {
    HeapServer server = new HeapServer();
    AtomicInteger calls = new AtomicInteger();
    AtomicBoolean armed = new AtomicBoolean();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      MemoizedFunction<Integer, Integer> fb =
          doubled(Cachet.builder().store(server.connect()).build(), null, calls);
      MemoizedFunction<Integer, Integer> fa =
          doubled(Cachet.builder().store(server.connect()).build(), (k, v) -> {
            if (armed.getAndSet(false)) {
              get(other.submit(() -> fb.invalidate(21)));
            }
            return 1;
          }, calls);
      armed.set(true);

      assertThat(fa.apply(21)).isEqualTo(42);
      assertThat(fa.cacheInfo().currSize()).as("not kept in A's memory").isZero();
      assertThat(fb.apply(21)).isEqualTo(42);
      assertThat(calls).as("B recomputed: A did not write it to the shared tier").hasValue(2);
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void anotherProcesssInvalidationDuringThisProcesssFirstLoadOfAKeyKeepsTheResultOutOfEveryTier()
      throws Exception {
    HeapServer server = new HeapServer();
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger version = new AtomicInteger(1);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      AtomicReference<MemoizedFunction<String, Integer>> fb = new AtomicReference<>();
      List<MemoizedFunction<String, Integer>> fs = new ArrayList<>();
      for (int p = 0; p < 2; p++) {
        Cachet process = Cachet.builder().store(server.connect()).build();
        fs.add(process.function("read").version("1").memoize((String k) -> {
          int seen = version.get();
          if (calls.incrementAndGet() == 1) {
            // The data changes while A computes from what it read before: B invalidates.
            version.set(2);
            get(other.submit(() -> fb.get().invalidate(k)));
          }
          return seen;
        }));
      }
      fb.set(fs.get(1));

      assertThat(fs.get(0).apply("k")).as("A's caller gets what A computed").isEqualTo(1);
      assertThat(fs.get(0).cacheInfo().currSize()).as("not kept in A's memory").isZero();
      assertThat(fs.get(1).apply("k")).as("nor in the shared tier").isEqualTo(2);
      assertThat(fs.get(0).apply("k")).isEqualTo(2);
    } finally {
      other.shutdownNow();
    }
  }

  private static <T> T get(Future<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
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
