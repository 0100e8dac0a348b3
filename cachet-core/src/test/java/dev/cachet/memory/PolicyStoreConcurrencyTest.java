package dev.cachet.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.EvictionPolicy;
import dev.cachet.stats.RemovalCause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many threads hammering one store, then checks that nothing was lost, duplicated or mixed up:
 * the bound holds, the sizes match the entries present, every value belongs to its key, and
 * every value ever written is either still present or was reported removed exactly once.
 */
class PolicyStoreConcurrencyTest {
  private static final int THREADS = 8;
  private static final int OPS_PER_THREAD = 20_000;
  private static final int KEYS = 300;
  /** Values are unique: the key in the high digits, a global sequence number in the low ones. */
  private static final long KEY_FACTOR = 1_000_000_000L;

  private static ExecutorService pool;

  @BeforeAll
  static void startPool() {
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterAll
  static void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  enum Variant { SIZE, WEIGHT, EXPIRE_AFTER_WRITE, PER_ENTRY, TIME_TO_IDLE }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (EvictionPolicy p : List.of(EvictionPolicy.LRU, EvictionPolicy.LFU, EvictionPolicy.FIFO,
        EvictionPolicy.SHADOW_TUNED)) {
      for (Variant v : Variant.values()) {
        cases.add(Arguments.of(p, v));
      }
    }
    return cases.stream();
  }

  static long keyOf(Object value) {
    return (Long) value / KEY_FACTOR;
  }

  static long weightOf(Object key, Object value) {
    return 1 + (Long) value % 7;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void mixedOperationsKeepTheStoreConsistent(EvictionPolicy policy, Variant variant)
      throws Exception {
    ManualTicker ticker = new ManualTicker();
    Set<Long> notified = ConcurrentHashMap.newKeySet();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    LongAdder notifications = new LongAdder();
    TestConfig config = TestConfig.of(policy).ticker(ticker).listener((k, v, cause) -> {
      notifications.increment();
      if (!notified.add((Long) v)) {
        errors.add("notified twice: " + v + " " + cause);
      }
      if (keyOf(v) != ((Long) k).longValue()) {
        errors.add("notified value " + v + " under key " + k);
      }
    });
    switch (variant) {
      case SIZE -> config.maximumSize(100);
      case WEIGHT -> config.maximumWeight(400, PolicyStoreConcurrencyTest::weightOf);
      case EXPIRE_AFTER_WRITE -> config.maximumSize(200).expireAfterWrite(Duration.ofMillis(5));
      case PER_ENTRY -> config.maximumSize(200)
          .entryExpiry((k, v) -> (Long) v % 3 == 0 ? StoreConfig.UNSET : (Long) v % 10_000_000);
      case TIME_TO_IDLE -> config.maximumSize(200).expireAfterAccess(Duration.ofMillis(5));
    }
    MemoryStore store = new PolicyStore(config.build());

    AtomicLong sequence = new AtomicLong();
    Set<Long> written = ConcurrentHashMap.newKeySet();
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      long seed = 31L * t + variant.ordinal() + 7L * policy.ordinal();
      futures.add(pool.submit(() -> {
        SplittableRandom random = new SplittableRandom(seed);
        ready.countDown();
        go.await();
        for (int i = 0; i < OPS_PER_THREAD; i++) {
          // Skewed keys: a few hot ones, contended by all threads.
          long key = Math.min(random.nextInt(KEYS), random.nextInt(KEYS));
          int dice = random.nextInt(100);
          if (dice < 55) {
            check(key, store.get(key), errors);
          } else if (dice < 60) {
            check(key, store.peek(key), errors);
          } else if (dice < 88) {
            long value = key * KEY_FACTOR + sequence.incrementAndGet();
            written.add(value);
            store.put(key, value);
          } else if (dice < 97) {
            check(key, store.remove(key), errors);
          } else if (dice < 99) {
            ticker.advanceNanos(random.nextInt(50_000));
          } else if (random.nextInt(50) == 0) {
            store.clear();
          } else {
            store.cleanUp();
          }
        }
        return null;
      }));
    }
    ready.await();
    go.countDown();
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    store.cleanUp();
    assertThat(errors).isEmpty();

    StoreConfig c = store.config();
    if (c.maximumSize() != StoreConfig.UNSET) {
      assertThat(store.size()).isLessThanOrEqualTo(c.maximumSize());
    } else {
      assertThat(store.weightedSize()).isLessThanOrEqualTo(c.maximumWeight());
    }
    Set<Long> present = new HashSet<>();
    long presentWeight = 0;
    for (long k = 0; k < KEYS; k++) {
      Object v = store.peek(k);
      if (v != null) {
        check(k, v, errors);
        present.add((Long) v);
        presentWeight += variant == Variant.WEIGHT ? weightOf(k, v) : 1;
      }
    }
    assertThat(errors).isEmpty();
    assertThat(written.size()).isEqualTo(sequence.get());
    assertThat(written.size() - notifications.sum()).isEqualTo(store.size());

    if (variant == Variant.TIME_TO_IDLE) {
      // Reads drained from different threads may leave the time-to-idle queue slightly out of
      // order, so an expired entry can wait behind a live one; everything goes once all expired.
      assertThat(store.size()).isGreaterThanOrEqualTo(present.size());
      ticker.advance(Duration.ofMillis(5));
      store.cleanUp();
      assertThat(store.size()).isZero();
      assertThat(store.weightedSize()).isZero();
      assertThat(notified).isEqualTo(written);
      return;
    }
    assertThat(store.size()).isEqualTo(present.size());
    assertThat(store.weightedSize()).isEqualTo(presentWeight);
    Set<Long> accounted = new HashSet<>(notified);
    accounted.addAll(present);
    assertThat(accounted).hasSize(notified.size() + present.size()).isEqualTo(written);
  }

  private static void check(long key, Object value, ConcurrentLinkedQueue<String> errors) {
    if (value != null && keyOf(value) != key) {
      errors.add("key " + key + " returned " + value);
    }
  }

  @ParameterizedTest(name = "{0} threads")
  @ValueSource(ints = {8, 40})
  void concurrentReadsAreNeverLostNorDuplicated(int threads) throws Exception {
    // More threads than rings: some share a ring, appending to it with a CAS.
    RecordingListener listener = new RecordingListener();
    MemoryStore store =
        TestConfig.of(EvictionPolicy.LFU).maximumSize(2).listener(listener).create();
    store.put("hot", 0L);
    int readsPerThread = 200_000 / threads;
    ExecutorService many = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(many.submit(() -> {
          go.await();
          for (int i = 0; i < readsPerThread; i++) {
            store.get("hot");
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      many.shutdownNow();
    }
    assertAccessCount(store, listener, "hot", 1 + (long) threads * readsPerThread);
  }

  @Test
  void readsOfShortLivedThreadsAreNeverLost() throws Exception {
    // Each thread dies before the next starts: rings are claimed, left by dead owners, shared
    // and taken over, and no read may be lost along the way.
    RecordingListener listener = new RecordingListener();
    MemoryStore store =
        TestConfig.of(EvictionPolicy.LFU).maximumSize(2).listener(listener).create();
    store.put("hot", 0L);
    int threads = 300;
    int reads = 100;
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < reads; i++) {
          store.get("hot");
        }
      });
      thread.start();
      thread.join();
    }
    assertAccessCount(store, listener, "hot", 1 + (long) threads * reads);
  }

  @Test
  void aReaderWhoseRingIsFullWaitsForTheLockInsteadOfDroppingReads() throws Exception {
    // The ticker is read under the store's lock; blocking it there keeps the lock held while a
    // reader fills its ring, so the reader must wait, drain and retry.
    Thread[] blocked = new Thread[1];
    CountDownLatch inLock = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    dev.cachet.Ticker ticker = () -> {
      if (Thread.currentThread() == blocked[0]) {
        inLock.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return 0L;
    };
    RecordingListener listener = new RecordingListener();
    MemoryStore store = TestConfig.of(EvictionPolicy.LFU).maximumSize(2)
        .expireAfterWrite(Duration.ofDays(1)).ticker(ticker).listener(listener).create();
    store.put("hot", 0L);

    Thread holder = new Thread(store::cleanUp);
    holder.setDaemon(true);
    blocked[0] = holder;
    int reads = 1_000;
    AtomicLong done = new AtomicLong();
    Thread reader = new Thread(() -> {
      for (int i = 0; i < reads; i++) {
        store.get("hot");
        done.incrementAndGet();
      }
    });
    reader.setDaemon(true);
    try {
      holder.start();
      assertThat(inLock.await(10, TimeUnit.SECONDS)).isTrue();
      reader.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((reader.getState() != Thread.State.WAITING
          || done.get() < ReadBuffer.RING_CAPACITY)
          && reader.isAlive() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      // Blocked on the lock after exactly one ring's worth of reads.
      assertThat(reader.getState()).isEqualTo(Thread.State.WAITING);
      assertThat(done.get()).isEqualTo(ReadBuffer.RING_CAPACITY);
    } finally {
      release.countDown();
    }
    holder.join(10_000);
    reader.join(10_000);
    assertThat(done.get()).isEqualTo(reads);
    assertAccessCount(store, listener, "hot", 1 + reads);
  }

  @Test
  void aShadowTunedReaderWhoseRingIsFullSkipsRecordingInsteadOfWaiting() throws Exception {
    // As above, the lock is held by a thread stuck in the ticker; SHADOW_TUNED may drop reads,
    // so the reader must get through all its reads without ever waiting for the lock.
    Thread[] blocked = new Thread[1];
    CountDownLatch inLock = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    dev.cachet.Ticker ticker = () -> {
      if (Thread.currentThread() == blocked[0]) {
        inLock.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return 0L;
    };
    PolicyStore store = (PolicyStore) TestConfig.of(EvictionPolicy.SHADOW_TUNED).maximumSize(2)
        .expireAfterWrite(Duration.ofDays(1)).ticker(ticker).create();
    store.put("hot", 0L);

    Thread holder = new Thread(store::cleanUp);
    holder.setDaemon(true);
    blocked[0] = holder;
    int reads = 10 * ReadBuffer.RING_CAPACITY;
    AtomicLong done = new AtomicLong();
    CountDownLatch contendedReadsDone = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    int[] sampling = new int[2];
    Thread reader = new Thread(() -> {
      for (int i = 0; i < reads; i++) {
        store.get("hot");
        done.incrementAndGet();
      }
      sampling[0] = store.readBuffer().samplingOfThisThread();
      contendedReadsDone.countDown();
      try {
        released.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        return;
      }
      // Alone again: each drain it makes without waiting halves the sampling, back to exact.
      for (int i = 0; i < 100 * ReadBuffer.RING_CAPACITY
          && store.readBuffer().samplingOfThisThread() > 1; i++) {
        store.get("hot");
      }
      sampling[1] = store.readBuffer().samplingOfThisThread();
    });
    reader.setDaemon(true);
    try {
      holder.start();
      assertThat(inLock.await(10, TimeUnit.SECONDS)).isTrue();
      reader.start();
      assertThat(contendedReadsDone.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(done.get()).isEqualTo(reads);
      assertThat(holder.isAlive()).as("the lock was held throughout").isTrue();
    } finally {
      release.countDown();
    }
    holder.join(10_000);
    released.countDown();
    reader.join(10_000);
    assertThat(sampling[0]).as("reads dropped behind the drain: the thread samples 1 in 16")
        .isEqualTo(16);
    assertThat(sampling[1]).as("drains without waiting bring it back to every read")
        .isEqualTo(1);
    assertThat(store.get("hot")).isEqualTo(0L);
  }

  /**
   * Checks that LFU counted exactly {@code expected} accesses of {@code key}, the only entry of
   * {@code store} (bound 2), using rivals: one with an access fewer must lose to it (no access
   * was lost), one with as many must win by recency (none was counted twice).
   */
  private static void assertAccessCount(MemoryStore store, RecordingListener listener,
      String key, long expected) {
    store.put("fewer", 0L);
    for (long i = 1; i < expected - 1; i++) {
      store.get("fewer");
    }
    store.put("x", 0L);
    assertThat(listener.keys(RemovalCause.SIZE)).containsExactly("fewer");
    store.put("as-many", 0L); // evicts "x"
    for (long i = 1; i < expected; i++) {
      store.get("as-many");
    }
    store.put("y", 0L);
    assertThat(listener.keys(RemovalCause.SIZE)).containsExactly("fewer", "x", key);
  }
}
