package dev.cachet.bench;

import java.util.HashMap;
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
 * A plain {@link HashMap#get} with the keys, sizes and access order of
 * {@link StoreGetBenchmark}: no policy, no locking. Its growth from 1k to 1M entries is what
 * the memory hierarchy alone costs (the table and keys outgrow the CPU caches), the floor under
 * which no store's 1M/1k ratio can go.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class MemoryBaselineBenchmark {

  /** Entries held. */
  @Param({"1000", "1000000"})
  public int size;

  HashMap<String, String> map;
  String[] keys;
  int[] sequence;
  int next;

  /** Fills the map. */
  @Setup(Level.Trial)
  public void setUp() {
    keys = Workloads.keys(size);
    map = new HashMap<>();
    for (String k : keys) {
      map.put(k, k);
    }
    sequence = Workloads.zipf(size, StoreGetBenchmark.SKEW, StoreGetBenchmark.SEQUENCE_LENGTH, Workloads.SEED);
  }

  /** One read of a present key. */
  @Benchmark
  public String hashMapGet() {
    return map.get(keys[sequence[next++ & (StoreGetBenchmark.SEQUENCE_LENGTH - 1)]]);
  }
}
