package dev.cachet.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.cache.CacheBuilder;
import dev.cachet.Cachet;
import dev.cachet.EvictionPolicy;
import dev.cachet.MemoizedFunction;
import dev.cachet.SerializableFunction;
import dev.cachet.memory.MemoryStore;
import dev.cachet.memory.MemoryStores;
import dev.cachet.memory.StoreConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The cost of a cache hit: a memoized call served from the cache, next to the raw lookups of the
 * usual alternatives. Every contender holds the same {@value #KEYS} String keys (all present:
 * 100% hits) under a bound of {@value #CAPACITY}, and reads them in the same Zipf-skewed order.
 *
 * <ul>
 *   <li>{@code memoizedAdaptive}: {@code cachet.memoize("f", fn).apply(key)} with the default
 *       ADAPTIVE policy: key snapshot, Caffeine-backed store, hit counting.</li>
 *   <li>{@code memoizedLru}: the same with {@link EvictionPolicy#LRU}, Cachet's own store.</li>
 *   <li>{@code memoizedShadowTuned}: the same with {@link EvictionPolicy#SHADOW_TUNED}, the
 *       experimental
 *       adaptive policy on Cachet's own store.</li>
 *   <li>{@code storeShadowTuned} and {@code storeAdaptive}: a {@code get} on the memory store
 *       alone (no key building, statistics or events), SHADOW_TUNED's and ADAPTIVE's. Next to
 *       {@code caffeine} they compare the eviction policies' hit paths; the memoized methods put
 *       the same layer (key, hit count, event check) in front of either store.</li>
 *   <li>{@code caffeine}: raw Caffeine {@code Cache.getIfPresent}, the reference for the
 *       memoized hit, built as an application would (default executor: the common pool runs
 *       Caffeine's maintenance, off the reading thread).</li>
 *   <li>{@code caffeineRecordingStats}: the same with {@code recordStats()}, which counts each
 *       hit as a memoized function does for its {@code cacheInfo()}; the like-for-like reference
 *       for the memoized methods.</li>
 *   <li>{@code caffeineSameThread}: the same with {@code executor(Runnable::run)}
 *       (maintenance on the reading threads). Against {@code caffeine}, it shows what that
 *       executor choice costs, which is why Cachet's ADAPTIVE store keeps the default.</li>
 *   <li>{@code guava}: Guava {@code CacheBuilder} cache {@code getIfPresent}.</li>
 *   <li>{@code concurrentHashMap}: {@code ConcurrentHashMap.get}, an unbounded lower bound.</li>
 *   <li>{@code synchronizedLru}: a synchronized access-ordered {@code LinkedHashMap}.</li>
 * </ul>
 *
 * <p>Abstract: {@link HitPathOneThread} and {@link HitPathTwoThreads} run these methods at 1 and
 * 2 threads in the same JMH run. Throughput in operations per microsecond, summed over threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class HitPathBenchmark {
  /** Populated keys: fits every contender's bound, so nothing is ever evicted. */
  static final int KEYS = 8192;
  /** Bound of every bounded contender, Cachet's default entry bound. */
  static final int CAPACITY = 10_000;
  /** Zipf exponent of the access order. */
  static final double SKEW = 1.0;
  static final int SEQUENCE_LENGTH = 1 << 16;

  /** The function being memoized: cheap, since only the hit path is measured. */
  static Integer length(String s) {
    return s.length();
  }

  /** The caches, populated once per trial and shared by all threads. */
  @State(Scope.Benchmark)
  public static class Caches {
    String[] keys;
    int[] sequence;
    MemoizedFunction<String, Integer> memoizedAdaptive;
    MemoizedFunction<String, Integer> memoizedLru;
    MemoizedFunction<String, Integer> memoizedShadowTuned;
    MemoryStore storeShadowTuned;
    MemoryStore storeAdaptive;
    Cache<String, Integer> caffeine;
    Cache<String, Integer> caffeineRecordingStats;
    Cache<String, Integer> caffeineSameThread;
    com.google.common.cache.Cache<String, Integer> guava;
    ConcurrentHashMap<String, Integer> concurrentHashMap;
    Map<String, Integer> synchronizedLru;

    /** Builds and fills every contender, and checks that each holds every key. */
    @Setup(Level.Trial)
    public void setUp() {
      keys = Workloads.keys(KEYS);
      sequence = Workloads.zipf(KEYS, SKEW, SEQUENCE_LENGTH, Workloads.SEED);

      SerializableFunction<String, Integer> fn = HitPathBenchmark::length;
      memoizedAdaptive = Cachet.create().memoize("hit-adaptive", fn);
      memoizedLru = Cachet.builder().policy(EvictionPolicy.LRU).build().memoize("hit-lru", fn);
      memoizedShadowTuned = Cachet.builder().policy(EvictionPolicy.SHADOW_TUNED).build()
          .memoize("hit-shadow-tuned", fn);
      storeShadowTuned = MemoryStores.create(
          StoreConfig.ofSize(EvictionPolicy.SHADOW_TUNED, CAPACITY));
      storeAdaptive = MemoryStores.create(StoreConfig.ofSize(EvictionPolicy.ADAPTIVE, CAPACITY));
      // Caffeine and Guava as an application would configure them, bound only.
      caffeine = Caffeine.newBuilder().maximumSize(CAPACITY).build();
      caffeineRecordingStats = Caffeine.newBuilder().maximumSize(CAPACITY).recordStats().build();
      caffeineSameThread = Caffeine.newBuilder().maximumSize(CAPACITY)
          .executor(Runnable::run).build();
      guava = CacheBuilder.newBuilder().maximumSize(CAPACITY).build();
      concurrentHashMap = new ConcurrentHashMap<>();
      synchronizedLru = Workloads.synchronizedLru(CAPACITY);

      for (String k : keys) {
        Integer v = length(k);
        memoizedAdaptive.apply(k);
        memoizedLru.apply(k);
        memoizedShadowTuned.apply(k);
        storeShadowTuned.put(k, v);
        storeAdaptive.put(k, v);
        caffeine.put(k, v);
        caffeineRecordingStats.put(k, v);
        caffeineSameThread.put(k, v);
        guava.put(k, v);
        concurrentHashMap.put(k, v);
        synchronizedLru.put(k, v);
      }
      caffeine.cleanUp();
      caffeineRecordingStats.cleanUp();
      caffeineSameThread.cleanUp();
      for (String k : keys) {
        if (caffeine.getIfPresent(k) == null || caffeineSameThread.getIfPresent(k) == null
            || caffeineRecordingStats.getIfPresent(k) == null
            || storeShadowTuned.get(k) == null || storeAdaptive.get(k) == null
            || guava.getIfPresent(k) == null
            || synchronizedLru.get(k) == null) {
          throw new IllegalStateException("a baseline cache lost " + k + " while populating;"
              + " the hit path would not be 100% hits");
        }
      }
      checkOnlyPopulationMisses();
    }

    /** Fails the trial if any measured call missed: the numbers would not be hit costs. */
    @TearDown(Level.Trial)
    public void checkOnlyPopulationMisses() {
      check(memoizedAdaptive);
      check(memoizedLru);
      check(memoizedShadowTuned);
    }

    private static void check(MemoizedFunction<String, Integer> f) {
      long misses = f.stats().misses();
      if (misses != KEYS) {
        throw new IllegalStateException(f.name() + " had " + misses + " misses, expected only"
            + " the " + KEYS + " of populating: the hit path was not 100% hits");
      }
    }
  }

  /** One thread's position in the shared access sequence. */
  @State(Scope.Thread)
  public static class Cursor {
    private String[] keys;
    private int[] sequence;
    private int mask;
    private int next;

    /** Starts this thread at its own offset of the sequence. */
    @Setup(Level.Trial)
    public void setUp(Caches caches, ThreadParams thread) {
      init(caches, thread.getThreadIndex(), thread.getThreadCount());
    }

    void init(Caches caches, int threadIndex, int threadCount) {
      // Copied into this object so the measured loop does one less indirection.
      keys = caches.keys;
      sequence = caches.sequence;
      mask = sequence.length - 1;
      next = Workloads.startOffset(threadIndex, threadCount, sequence.length);
    }

    String nextKey() {
      return keys[sequence[next++ & mask]];
    }
  }

  /** A memoized call hitting the default (ADAPTIVE, Caffeine-backed) cache. */
  @Benchmark
  public Integer memoizedAdaptive(Caches c, Cursor k) {
    return c.memoizedAdaptive.apply(k.nextKey());
  }

  /** A memoized call hitting Cachet's own LRU store. */
  @Benchmark
  public Integer memoizedLru(Caches c, Cursor k) {
    return c.memoizedLru.apply(k.nextKey());
  }

  /** A memoized call hitting Cachet's own store under the experimental SHADOW_TUNED policy. */
  @Benchmark
  public Integer memoizedShadowTuned(Caches c, Cursor k) {
    return c.memoizedShadowTuned.apply(k.nextKey());
  }

  /** A get on a bare SHADOW_TUNED memory store, without the memoization layer. */
  @Benchmark
  public Object storeShadowTuned(Caches c, Cursor k) {
    return c.storeShadowTuned.get(k.nextKey());
  }

  /** A get on a bare ADAPTIVE (Caffeine-backed) memory store, without the memoization layer. */
  @Benchmark
  public Object storeAdaptive(Caches c, Cursor k) {
    return c.storeAdaptive.get(k.nextKey());
  }

  /** Raw Caffeine {@code getIfPresent}. */
  @Benchmark
  public Integer caffeine(Caches c, Cursor k) {
    return c.caffeine.getIfPresent(k.nextKey());
  }

  /** Caffeine {@code getIfPresent} counting hits ({@code recordStats()}). */
  @Benchmark
  public Integer caffeineRecordingStats(Caches c, Cursor k) {
    return c.caffeineRecordingStats.getIfPresent(k.nextKey());
  }

  /** Raw Caffeine {@code getIfPresent}, maintenance on the calling thread. */
  @Benchmark
  public Integer caffeineSameThread(Caches c, Cursor k) {
    return c.caffeineSameThread.getIfPresent(k.nextKey());
  }

  /** Guava {@code Cache.getIfPresent}. */
  @Benchmark
  public Integer guava(Caches c, Cursor k) {
    return c.guava.getIfPresent(k.nextKey());
  }

  /** {@code ConcurrentHashMap.get}: no policy at all. */
  @Benchmark
  public Integer concurrentHashMap(Caches c, Cursor k) {
    return c.concurrentHashMap.get(k.nextKey());
  }

  /** Synchronized access-ordered {@code LinkedHashMap.get}. */
  @Benchmark
  public Integer synchronizedLru(Caches c, Cursor k) {
    return c.synchronizedLru.get(k.nextKey());
  }
}
