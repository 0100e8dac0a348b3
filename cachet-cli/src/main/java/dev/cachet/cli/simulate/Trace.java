package dev.cachet.cli.simulate;

import java.util.Arrays;
import java.util.Objects;

/**
 * A sequence of cache accesses, each a key. Immutable.
 *
 * <p>Keys are kept in a primitive array because traces reach hundreds of thousands of accesses
 * and are replayed once per policy and size; boxing them up front would multiply the memory.
 */
public final class Trace {
  private final String name;
  private final long[] keys;
  private int[] denseIds;
  private int distinct = -1;

  /**
   * Creates a trace.
   *
   * @param name what to call it in reports, usually the file name
   * @param keys the accessed keys, in order; copied
   */
  public Trace(String name, long[] keys) {
    this.name = Objects.requireNonNull(name, "name");
    this.keys = keys.clone();
  }

  /** What to call the trace in reports. */
  public String name() {
    return name;
  }

  /** The number of accesses. */
  public int accesses() {
    return keys.length;
  }

  /** The key of access {@code index} (zero-based). */
  public long key(int index) {
    return keys[index];
  }

  /** A copy of all keys, in access order. */
  public long[] keys() {
    return keys.clone();
  }

  /** The number of different keys. */
  public synchronized int distinctKeys() {
    if (distinct < 0) {
      denseIds();
    }
    return distinct;
  }

  /**
   * Each access's key renumbered 0..distinctKeys()-1, so per-key state can live in plain arrays.
   * Shared, not copied: callers in this package must not modify it.
   */
  synchronized int[] denseIds() {
    if (denseIds == null) {
      long[] sorted = keys.clone();
      Arrays.sort(sorted);
      int unique = 0;
      for (int i = 0; i < sorted.length; i++) {
        if (i == 0 || sorted[i] != sorted[i - 1]) {
          sorted[unique++] = sorted[i];
        }
      }
      int[] ids = new int[keys.length];
      for (int i = 0; i < keys.length; i++) {
        ids[i] = Arrays.binarySearch(sorted, 0, unique, keys[i]);
      }
      denseIds = ids;
      distinct = unique;
    }
    return denseIds;
  }

  /** Raw access to the keys for the simulator, which only reads them. */
  long[] rawKeys() {
    return keys;
  }

  @Override
  public String toString() {
    return "Trace[" + name + ", " + keys.length + " accesses]";
  }
}
