package dev.cachet.bench;

import dev.cachet.disk.DiskStore;
import dev.cachet.disk.DiskStoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Where the side-file threshold should be: {@code DiskStore} get and put of one value size,
 * with every value inline in SQLite ({@code storage=inline}: threshold above the size) or every
 * value in a side file ({@code storage=sideFile}: threshold 0). {@value #KEYS} keys, read and
 * replaced in turn. One thread; operations per second (bytes per second is that times
 * {@code size}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class DiskThresholdBenchmark {
  static final int KEYS = 32;
  static final String NS = "threshold:1:code:type";

  /** Payload bytes per value. */
  @Param({"4096", "16384", "65536", "131072", "262144", "1048576"})
  public int size;

  /** {@code inline} or {@code sideFile}. */
  @Param({"inline", "sideFile"})
  public String storage;

  Path dir;
  DiskStore store;
  String[] keys;
  byte[] frame;
  int i;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("cachet-threshold-bench");
    int threshold = storage.equals("inline") ? Integer.MAX_VALUE : 0;
    store = DiskStore.open(dir, DiskStoreOptions.builder().sideFileThreshold(threshold).build());
    keys = DiskBenchmark.keys("t", KEYS);
    frame = DiskBenchmark.frame(DiskBenchmark.payload(size, 3));
    for (String k : keys) {
      store.put(NS, k, frame, 0, List.of());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    long failures = store.stats().failures();
    store.close();
    DirectoryTrees.delete(dir);
    if (failures != 0) {
      throw new IllegalStateException(failures + " operations failed");
    }
  }

  private String next() {
    i = (i + 1) % KEYS;
    return keys[i];
  }

  /** Reads one present value. */
  @Benchmark
  public byte[] get() {
    return store.get(NS, next());
  }

  /**
   * Replaces one value; returns once journaled (inline) or once written, synced, renamed and
   * committed (side file).
   */
  @Benchmark
  public void put() {
    store.put(NS, next(), frame, 0, List.of());
  }
}
