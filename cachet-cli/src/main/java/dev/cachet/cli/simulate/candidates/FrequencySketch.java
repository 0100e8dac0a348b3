package dev.cachet.cli.simulate.candidates;

/**
 * A count-min sketch of 4-bit counters estimating how often each key was seen recently, the
 * "TinyLFU" of Einziger, Friedman and Manes ("TinyLFU: A Highly Efficient Cache Admission
 * Policy", 2017). Every {@code 10 x capacity} recorded accesses all counters are halved, so the
 * estimate follows the recent past rather than all history.
 */
final class FrequencySketch {
  private static final long RESET_MASK = 0x7777_7777_7777_7777L;
  private static final long[] SEEDS = {
      0x97CB3127L, 0xB7F1A8B1L, 0x5CE4E1D7L, 0x3A8F05C5L};

  private final long[] table;
  private final int mask;
  private final int sampleSize;
  private final long salt;
  private int additions;

  /**
   * @param capacity the cache size the sketch serves; sets its width and ageing period
   * @param salt mixed into every hash, so two sketches (or two seeds) collide differently
   */
  FrequencySketch(int capacity, long salt) {
    int width = Integer.highestOneBit(Math.max(8, capacity - 1) << 1);
    this.table = new long[width];
    this.mask = width - 1;
    this.sampleSize = 10 * Math.max(capacity, 1);
    this.salt = salt;
  }

  /** The estimated recent frequency of {@code key}, 0 to 15. */
  int frequency(long key) {
    long h = KeyHash.mix(key, salt);
    int min = 15;
    for (int i = 0; i < 4; i++) {
      long hi = KeyHash.mix(h, SEEDS[i]);
      int index = (int) hi & mask;
      int shift = (int) ((hi >>> 32) & 15) << 2;
      min = Math.min(min, (int) ((table[index] >>> shift) & 15));
    }
    return min;
  }

  /** Counts one access to {@code key}, ageing the whole sketch when its period is reached. */
  void increment(long key) {
    long h = KeyHash.mix(key, salt);
    boolean added = false;
    for (int i = 0; i < 4; i++) {
      long hi = KeyHash.mix(h, SEEDS[i]);
      int index = (int) hi & mask;
      int shift = (int) ((hi >>> 32) & 15) << 2;
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
}
