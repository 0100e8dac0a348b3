package dev.cachet.bench;

import dev.cachet.EvictionPolicy;
import dev.cachet.memory.MemoryStore;
import dev.cachet.memory.MemoryStores;
import dev.cachet.memory.StoreConfig;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Concurrent hits on Cachet's LRU store against the synchronized access-ordered
 * {@code LinkedHashMap}, both full at {@code size} entries and read uniformly at random by two
 * threads. An exact LRU must record every read; the JDK map does it under one lock per read,
 * Cachet buffers reads and replays them under its lock in batches, which is what this measures.
 * Throughput in operations per microsecond, summed over both threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
public class StoreContentionBenchmark {
  static final int SEQUENCE_LENGTH = 1 << 20;

  /** The shared contenders. */
  @State(Scope.Benchmark)
  public static class Stores {
    /** Entries held by each contender, which is also its bound. */
    @Param({"100000"})
    public int size;

    MemoryStore lru;
    Map<String, String> synchronizedLru;
    String[] keys;
    int[] sequence;

    /** Fills both contenders and checks that they hold every key. */
    @Setup(Level.Trial)
    public void setUp() {
      keys = Workloads.keys(size);
      lru = MemoryStores.create(StoreConfig.ofSize(EvictionPolicy.LRU, size));
      synchronizedLru = Workloads.synchronizedLru(size);
      for (String k : keys) {
        lru.put(k, k);
        synchronizedLru.put(k, k);
      }
      lru.cleanUp();
      for (String k : keys) {
        if (lru.peek(k) == null || !synchronizedLru.containsKey(k)) {
          throw new IllegalStateException("a contender lost " + k + " while being filled");
        }
      }
      sequence = Workloads.uniform(size, SEQUENCE_LENGTH, Workloads.SEED);
    }
  }

  /** One thread's position in the shared access sequence. */
  @State(Scope.Thread)
  public static class Cursor {
    private String[] keys;
    private int[] sequence;
    private int next;

    /** Starts this thread at its own offset of the sequence. */
    @Setup(Level.Trial)
    public void setUp(Stores stores, ThreadParams thread) {
      init(stores, thread.getThreadIndex(), thread.getThreadCount());
    }

    void init(Stores stores, int threadIndex, int threadCount) {
      keys = stores.keys;
      sequence = stores.sequence;
      next = Workloads.startOffset(threadIndex, threadCount, SEQUENCE_LENGTH);
    }

    String nextKey() {
      return keys[sequence[next++ & (SEQUENCE_LENGTH - 1)]];
    }
  }

  /** A hit on Cachet's LRU store. */
  @Benchmark
  public Object lruStore(Stores s, Cursor k) {
    return s.lru.get(k.nextKey());
  }

  /** A hit on the synchronized access-ordered {@code LinkedHashMap}. */
  @Benchmark
  public String synchronizedLru(Stores s, Cursor k) {
    return s.synchronizedLru.get(k.nextKey());
  }
}
