package dev.cachet.memory;

/**
 * A count-min sketch of 4-bit counters estimating how often each key hash was seen recently
 * (TinyLFU, Einziger, Friedman and Manes, 2017), for {@link ShadowTunedOrder}'s admission duel
 * and its shadow caches. Every {@code 10 x capacity} recorded accesses all counters are halved,
 * so the estimate follows the recent past. Not thread-safe: used under the store's lock.
 */
final class AdmissionSketch {
  private static final long RESET_MASK = 0x7777_7777_7777_7777L;

  private final long[] table;
  private final int mask;
  private final int sampleSize;
  private int additions;

  /** A sketch sized for a cache of {@code capacity} entries. */
  AdmissionSketch(int capacity) {
    int width = Integer.highestOneBit(Math.max(8, capacity - 1) << 1);
    this.table = new long[width];
    this.mask = width - 1;
    this.sampleSize = 10 * Math.max(capacity, 1);
  }

  /** The estimated recent frequency of {@code hash}, 0 to 15. */
  int frequency(int hash) {
    int min = 15;
    for (int i = 0; i < 4; i++) {
      long h = probe(hash, i);
      min = Math.min(min, (int) ((table[(int) h & mask] >>> shift(h)) & 15));
    }
    return min;
  }

  /** Counts one access to {@code hash}, ageing the sketch when its period is reached. */
  void increment(int hash) {
    boolean added = false;
    for (int i = 0; i < 4; i++) {
      long h = probe(hash, i);
      int index = (int) h & mask;
      int shift = shift(h);
      if (((table[index] >>> shift) & 15) < 15) {
        table[index] += 1L << shift;
        added = true;
      }
    }
    if (added && ++additions >= sampleSize) {
      for (int i = 0; i < table.length; i++) {
        table[i] = (table[i] >>> 1) & RESET_MASK;
      }
      additions >>>= 1;
    }
  }

  private static int shift(long h) {
    return (int) ((h >>> 40) & 15) << 2;
  }

  /** Four independent-looking probes from one hash: SplitMix64's finalizer on hash and row. */
  private static long probe(int hash, int row) {
    long z = (hash & 0xFFFF_FFFFL) * 0x9E3779B97F4A7C15L + (row + 1) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
