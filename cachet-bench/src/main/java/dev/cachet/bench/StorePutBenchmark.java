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
 * Writes to Cachet's exact-policy stores, full to their bound of {@code size} entries, with keys
 * drawn uniformly from twice as many: about half the puts replace a present key, the other half
 * insert a new key and so evict one entry. That is the steady state of a full cache whose
 * working set exceeds it, and it exercises both halves of {@code put}. Nanoseconds per put on
 * one thread (an average over both kinds).
 *
 * <p>Single-threaded by design, like {@link StoreGetBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class StorePutBenchmark {
  static final int SEQUENCE_LENGTH = 1 << 20;

  /** The replacement policy. */
  @Param({"LRU", "LFU", "FIFO"})
  public EvictionPolicy policy;

  /** The bound; the key space is twice as large. */
  @Param({"1000", "100000", "1000000"})
  public int size;

  MemoryStore store;
  String[] keys;
  int[] sequence;
  int next;

  /** Fills the store with half of the key space. */
  @Setup(Level.Trial)
  public void setUp() {
    keys = Workloads.keys(2 * size);
    store = Workloads.filledStore(policy, size, keys);
    sequence = Workloads.uniform(2 * size, SEQUENCE_LENGTH, Workloads.SEED);
  }

  /** One put: a replacement or an insertion with an eviction. */
  @Benchmark
  public MemoryStore put() {
    String k = keys[sequence[next++ & (SEQUENCE_LENGTH - 1)]];
    store.put(k, k);
    return store;
  }
}
