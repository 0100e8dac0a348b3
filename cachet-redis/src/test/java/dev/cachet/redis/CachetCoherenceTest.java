package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.MemoizedFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bus and fleet single-flight as {@link Cachet} uses them: two Cachet instances on one Redis
 * (two buses, as two processes would have).
 */
class CachetCoherenceTest {
  private static final AtomicInteger CALLS = new AtomicInteger();

  private CoherenceTestRedis redis;
  private final List<Cachet> cachets = new ArrayList<>();

  @BeforeEach
  void connect() {
    redis = CoherenceTestRedis.local();
    CALLS.set(0);
  }

  @AfterEach
  void cleanUp() {
    cachets.forEach(Cachet::close);
    redis.close();
  }

  private Cachet cachet() {
    Cachet c = Cachet.builder().redis(redis.storeUri).build();
    cachets.add(c);
    return c;
  }

  static String shout(String s) {
    CALLS.incrementAndGet();
    return s.toUpperCase(java.util.Locale.ROOT);
  }

  static String slowShout(String s) {
    CALLS.incrementAndGet();
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return s.toUpperCase(java.util.Locale.ROOT);
  }

  @Test
  void anInvalidationInOneCachetDropsTheOthersMemoryCopy() throws Exception {
    MemoizedFunction<String, String> a = cachet().function("shout").version("1")
        .memoize(CachetCoherenceTest::shout);
    MemoizedFunction<String, String> b = cachet().function("shout").version("1")
        .memoize(CachetCoherenceTest::shout);
    assertThat(a.apply("x")).isEqualTo("X");
    assertThat(b.apply("x")).as("from Redis").isEqualTo("X");
    assertThat(CALLS.get()).isEqualTo(1);
    assertThat(b.cacheInfo().currSize()).isEqualTo(1);

    a.invalidate("x");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (b.cacheInfo().currSize() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(b.cacheInfo().currSize()).as("b dropped its memory copy").isZero();
    assertThat(b.apply("x")).isEqualTo("X");
    assertThat(CALLS.get()).as("recomputed after the invalidation").isEqualTo(2);
  }

  @Test
  void fleetSingleFlightComputesAMissingKeyOnceAcrossCachets() throws Exception {
    List<MemoizedFunction<String, String>> fns = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fns.add(cachet().function("slowShout").version("1")
          .fleetSingleFlight(Duration.ofSeconds(5)).memoize(CachetCoherenceTest::slowShout));
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (MemoizedFunction<String, String> f : fns) {
        results.add(pool.submit(() -> {
          start.await();
          return f.apply("once");
        }));
      }
      start.countDown();
      for (Future<String> r : results) {
        assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo("ONCE");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(CALLS.get()).isEqualTo(1);
    assertThat(redis.keys(":lock:*")).isEmpty();
  }

  @Test
  void aRestartedProcessDropsFromDiskWhatWasInvalidatedWhileItWasDown(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    Cachet first = Cachet.builder().disk(dir).redis(redis.storeUri).build();
    MemoizedFunction<String, String> before = first.function("shout").version("1")
        .memoize(CachetCoherenceTest::shout);
    before.apply("x");
    before.apply("y");
    first.close();

    cachet().function("shout").version("1").memoize(CachetCoherenceTest::shout)
        .invalidate("x");                                   // while the first process is down
    assertThat(CALLS.get()).isEqualTo(2);

    Cachet restarted = Cachet.builder().disk(dir).redis(redis.storeUri).build();
    cachets.add(restarted);
    MemoizedFunction<String, String> after = restarted.function("shout").version("1")
        .memoize(CachetCoherenceTest::shout);
    assertThat(after.apply("y")).isEqualTo("Y");
    assertThat(CALLS.get()).as("y is still valid: a hit").isEqualTo(2);
    assertThat(after.stats().hitsByTier().keySet()).anyMatch(t -> t.startsWith("disk:"));
    assertThat(after.apply("x")).isEqualTo("X");
    assertThat(CALLS.get()).as("x was invalidated while it was down: recomputed").isEqualTo(3);
  }
}
