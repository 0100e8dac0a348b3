package dev.cachet.bench;

import dev.cachet.key.KeyDigest;
import dev.cachet.key.KeySnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@code KeyDigest.sha256} of key snapshots: the stable digest that persistent tiers (disk,
 * Redis) key entries by, paid on every call that reaches such a tier. Snapshots are taken once
 * in setup ({@code KeySnapshot.of(value, false)}), so only encoding plus hashing is measured.
 * Nanoseconds per digest on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class KeyDigestBenchmark {
  Object shortString;
  Object mixedList;
  Object map10;

  /** The three snapshots. */
  @Setup(Level.Trial)
  public void setUp() {
    shortString = KeySnapshot.of("jason is 25", false);
    // The arguments of a typical call, or the components of a small record.
    mixedList = KeySnapshot.of(List.of("alice", 42, 3.5, true, 1_700_000_000_000L), false);
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < 10; i++) {
      map.put("field" + i, i % 2 == 0 ? (Object) ("value-" + i) : (Object) (i * 1000L));
    }
    map10 = KeySnapshot.of(map, false);
  }

  /** A short String. */
  @Benchmark
  public byte[] shortString() {
    return KeyDigest.sha256(shortString);
  }

  /** A five-element list of mixed scalars. */
  @Benchmark
  public byte[] mixedList() {
    return KeyDigest.sha256(mixedList);
  }

  /** A map of ten String keys to Strings and Longs. */
  @Benchmark
  public byte[] map10() {
    return KeyDigest.sha256(map10);
  }
}
