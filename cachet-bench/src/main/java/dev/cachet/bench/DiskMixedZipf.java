package dev.cachet.bench;

import java.util.SplittableRandom;

/**
 * Draws key indexes from a Zipf distribution over {@code n} keys, hottest rank scattered over
 * the key space (YCSB's "scrambled Zipfian").
 *
 * <p>Exact rather than YCSB's closed-form approximation: the cumulative distribution is
 * tabulated once, and a guide table (one slot per key) turns a uniform draw into a start
 * index a step or two below the answer, so a draw costs two or three array reads instead of
 * a binary search of twenty. The benchmark draws millions of operations up front, where a
 * binary search over an 8 MB table would cost seconds.
 *
 * <p>Scrambling matters for a disk store: without it the hottest keys would be key-0, key-1,
 * ..., neighbours in the B-tree, and every store would look better than with real keys, whose
 * popularity has nothing to do with their sort order.
 */
final class DiskMixedZipf {
  private final double[] cdf;
  private final int[] guide;
  private final int[] rankToKey;

  /**
   * Tabulates the distribution.
   *
   * @param n how many keys, at least 1
   * @param theta the skew; 0.99 is YCSB's default
   * @param scrambleSeed seeds the permutation from popularity rank to key index
   */
  DiskMixedZipf(int n, double theta, long scrambleSeed) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, got " + n);
    }
    cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / Math.pow(i + 1, theta);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    cdf[n - 1] = 1.0; // rounding must never leave a draw above the last bucket
    guide = new int[n];
    int rank = 0;
    for (int j = 0; j < n; j++) {
      double low = (double) j / n;
      while (cdf[rank] < low) {
        rank++;
      }
      guide[j] = rank;
    }
    rankToKey = new int[n];
    for (int i = 0; i < n; i++) {
      rankToKey[i] = i;
    }
    shuffle(rankToKey, new SplittableRandom(scrambleSeed));
  }

  /**
   * One draw.
   *
   * @param random the caller's generator, so that each stream is reproducible on its own
   * @return a key index in {@code [0, n)}
   */
  int next(SplittableRandom random) {
    double u = random.nextDouble();
    int rank = guide[(int) (u * guide.length)];
    while (cdf[rank] < u) {
      rank++;
    }
    return rankToKey[rank];
  }

  /**
   * The key index of a popularity rank (0 = hottest), for tests.
   *
   * @param rank the rank
   * @return the key index it maps to
   */
  int keyOfRank(int rank) {
    return rankToKey[rank];
  }

  /** Fisher-Yates, shared with the population order. */
  static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
