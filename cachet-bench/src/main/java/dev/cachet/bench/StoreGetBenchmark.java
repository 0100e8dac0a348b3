package dev.cachet.bench;

import dev.cachet.EvictionPolicy;
import dev.cachet.memory.MemoryStore;
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

/**
 * A hit on Cachet's exact-policy stores ({@code MemoryStores.create(StoreConfig.ofSize(policy,
 * size))}), full to their bound of {@code size} entries, read in a Zipf-skewed order: every read
 * hits and counts as an access for the policy. Nanoseconds per read on one thread; comparing
 * sizes shows how the per-read cost grows with the store (policy bookkeeping plus the memory
 * hierarchy: compare with {@link MemoryBaselineBenchmark}).
 *
 * <p>Single-threaded by design: the cursor is shared, so running it with {@code -t} above 1
 * would measure false sharing on the cursor as well.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class StoreGetBenchmark {
  /**
   * Zipf exponent of the reads, as in YCSB: real cache workloads are skewed, and under uniform
   * reads of a million entries every structure (a plain HashMap included) measures DRAM latency
   * rather than its own cost.
   */
  static final double SKEW = 0.99;

  /** Long enough that even the largest store is read at ~a million different places. */
  static final int SEQUENCE_LENGTH = 1 << 20;

  /** The replacement policy. */
  @Param({"LRU", "LFU", "FIFO"})
  public EvictionPolicy policy;

  /** Entries held, which is also the bound. */
  @Param({"1000", "100000", "1000000"})
  public int size;

  MemoryStore store;
  String[] keys;
  int[] sequence;
  int next;

  /** Fills the store to its bound and checks that every key is present. */
  @Setup(Level.Trial)
  public void setUp() {
    keys = Workloads.keys(size);
    store = Workloads.filledStore(policy, size, keys);
    sequence = Workloads.zipf(size, SKEW, SEQUENCE_LENGTH, Workloads.SEED);
  }

  /** One read of a present key. */
  @Benchmark
  public Object get() {
    return store.get(keys[sequence[next++ & (SEQUENCE_LENGTH - 1)]]);
  }
}
