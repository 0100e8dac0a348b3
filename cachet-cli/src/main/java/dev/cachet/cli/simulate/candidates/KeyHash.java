package dev.cachet.cli.simulate.candidates;

/**
 * Mixes a key into well-spread bits. Trace keys are block numbers, consecutive and far from
 * random, so the sketch and the spatial sampling must never use them raw.
 */
final class KeyHash {
  private KeyHash() {
  }

  /** A 64-bit mix of {@code key} (the finalizer of SplitMix64), salted by {@code seed}. */
  static long mix(long key, long seed) {
    long z = key + seed + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
