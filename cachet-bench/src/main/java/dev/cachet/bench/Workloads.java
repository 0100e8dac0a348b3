package dev.cachet.bench;

import dev.cachet.EvictionPolicy;
import dev.cachet.memory.MemoryStore;
import dev.cachet.memory.MemoryStores;
import dev.cachet.memory.StoreConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Key sets and pre-generated access sequences shared by the benchmarks.
 *
 * <p>Sequences are generated once per trial with a fixed seed, so every contender in a run sees
 * exactly the same keys in the same order, and the measured loop does no random-number work: it
 * only reads {@code keys[sequence[i++ & mask]]}. Sequence lengths are powers of two so the index
 * wraps with a mask instead of a branch or a modulo.
 */
final class Workloads {
  /** Seed of every generated sequence: runs are comparable with each other. */
  static final long SEED = 0x5EED_CAC4E7L;

  private Workloads() {
  }

  /**
   * {@code n} distinct keys {@code "key-0"}..., each hashed once here so that no contender pays
   * the first {@link String#hashCode()} inside the measurement.
   */
  static String[] keys(int n) {
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = "key-" + i;
      keys[i].hashCode();
    }
    return keys;
  }

  /** {@code length} (a power of two) indexes drawn uniformly from {@code [0, bound)}. */
  /**
   * A store of {@code policy} bounded to {@code size} entries and filled with the first
   * {@code size} keys; fails the trial if any is missing, since the scores would then not be
   * those of a full store.
   */
  static MemoryStore filledStore(EvictionPolicy policy, int size, String[] keys) {
    MemoryStore store = MemoryStores.create(StoreConfig.ofSize(policy, size));
    for (int i = 0; i < size; i++) {
      store.put(keys[i], keys[i]);
    }
    store.cleanUp();
    for (int i = 0; i < size; i++) {
      if (store.peek(keys[i]) == null) {
        throw new IllegalStateException(policy + " store of " + size + " lost " + keys[i]
            + " while being filled to its bound");
      }
    }
    return store;
  }

  static int[] uniform(int bound, int length, long seed) {
    checkPowerOfTwo(length);
    SplittableRandom random = new SplittableRandom(seed);
    int[] seq = new int[length];
    for (int i = 0; i < length; i++) {
      seq[i] = random.nextInt(bound);
    }
    return seq;
  }

  /**
   * {@code length} (a power of two) indexes into {@code [0, n)} whose popularity follows a Zipf
   * law with exponent {@code s}: the rank-{@code r} key is drawn with probability proportional
   * to {@code 1 / r^s}, which is how request keys of real caches are usually skewed. Ranks are
   * mapped to indexes through a random permutation, so the hot keys are not the ones created
   * first (and hence not neighbours in memory).
   */
  static int[] zipf(int n, double s, int length, long seed) {
    checkPowerOfTwo(length);
    double[] cdf = new double[n];
    double sum = 0;
    for (int r = 0; r < n; r++) {
      sum += 1.0 / Math.pow(r + 1, s);
      cdf[r] = sum;
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[] rankToIndex = new int[n];
    for (int i = 0; i < n; i++) {
      rankToIndex[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = rankToIndex[i];
      rankToIndex[i] = rankToIndex[j];
      rankToIndex[j] = t;
    }
    int[] seq = new int[length];
    for (int i = 0; i < length; i++) {
      double u = random.nextDouble() * sum;
      int lo = 0;
      int hi = n - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cdf[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      seq[i] = rankToIndex[lo];
    }
    return seq;
  }

  /**
   * The classic JDK LRU cache: an access-ordered {@link LinkedHashMap} that drops its eldest
   * entry beyond {@code capacity}, behind one {@link Collections#synchronizedMap} lock. Every
   * read reorders the list, hence takes that lock exclusively: this is the baseline a concurrent
   * LRU has to beat.
   */
  static <K, V> Map<K, V> synchronizedLru(int capacity) {
    return Collections.synchronizedMap(new LinkedHashMap<K, V>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    });
  }

  /** The offset at which thread {@code index} of {@code count} starts reading a sequence. */
  static int startOffset(int index, int count, int length) {
    // Evenly spaced starts: threads read different keys at any moment, as real callers do,
    // instead of hammering the same entry in lockstep.
    return (int) ((long) length * index / Math.max(1, count));
  }

  private static void checkPowerOfTwo(int length) {
    if (length <= 0 || Integer.bitCount(length) != 1) {
      throw new IllegalArgumentException("sequence length must be a power of two: " + length);
    }
  }
}
