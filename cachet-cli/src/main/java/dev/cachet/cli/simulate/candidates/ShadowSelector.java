package dev.cachet.cli.simulate.candidates;

/**
 * The choosing half of the shadow-driven candidates ({@link ShadowTunedCache},
 * {@link PolicySwitchingCache}): one small "shadow" cache per choice sees only a spatial sample
 * of the keys (those whose hash falls in a fixed fraction of the hash space) and holds the same
 * fraction of the capacity, and the selector names the choice whose shadow hits most.
 *
 * <p>A sample of keys keeps the reuse distances of the whole trace, so the shadows rank the
 * choices the way full-size caches would, at a fraction of the cost. Every
 * {@code period x shadow capacity} sampled accesses, each shadow's hits and the number of
 * sampled accesses are added to exponentially decayed sums; the choice changes when another
 * shadow's sum exceeds the current one's by {@code margin} times the decayed access count.
 * Frequent checks make a clear lead act fast; the decay and margin keep two close choices from
 * flapping, since every change costs the live cache misses while it reshapes.
 */
final class ShadowSelector {
  /** Builds the shadow of one choice. */
  @FunctionalInterface
  interface ShadowFactory {
    /**
     * The shadow cache for choice {@code index}.
     *
     * @param index the choice, in the order given to the selector
     * @param capacity the shadow's capacity (the sampled share of the live capacity)
     * @param seed the shadow's own seed
     */
    CandidateCache create(int index, int capacity, long seed);
  }

  private final CandidateCache[] shadows;
  private final long[] periodHits;
  private final double[] scores;
  private final long sampleThreshold;
  private final long seed;
  private final int period;
  private final double decay;
  private final double margin;
  private int sampled;
  private double decayedAccesses;
  private int current;

  /**
   * A selector starting on choice 0.
   *
   * @param capacity the live cache's capacity
   * @param choices how many choices there are (one shadow each)
   * @param factory builds each choice's shadow
   * @param sampleShare the fraction of the key space the shadows see, for large caches; small
   *     caches sample more, so each shadow holds at least {@code minShadow} keys
   * @param minShadow the least capacity of a shadow, for statistics worth trusting
   * @param period sampled accesses between decisions, in multiples of the shadow capacity
   * @param decay the weight of the past at each decision, 0 (forget) to 1 (keep all)
   * @param margin the lead, as a share of the decayed sampled accesses, that a choice needs
   * @param seed salts the sampling hash; shadow {@code i} gets {@code seed + 1 + i}
   */
  ShadowSelector(int capacity, int choices, ShadowFactory factory, double sampleShare,
      int minShadow, double period, double decay, double margin, long seed) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    if (choices <= 0) {
      throw new IllegalArgumentException("at least one choice is needed");
    }
    this.seed = seed;
    this.decay = decay;
    this.margin = margin;
    double share = Math.min(1.0, Math.max(sampleShare, (double) minShadow / capacity));
    this.sampleThreshold = (long) (share * (1L << 32));
    int shadowCapacity = Math.max(1, (int) Math.round(capacity * share));
    this.shadows = new CandidateCache[choices];
    for (int i = 0; i < choices; i++) {
      shadows[i] = factory.create(i, shadowCapacity, seed + 1 + i);
    }
    this.periodHits = new long[choices];
    this.scores = new double[choices];
    this.period = Math.max(1, (int) Math.round(period * shadowCapacity));
  }

  /** The choice the live cache should run. */
  int current() {
    return current;
  }

  /**
   * Shows the selector one access of the trace.
   *
   * @return true when the access changed {@link #current()}
   */
  boolean observe(long key) {
    // The upper 32 bits of a salted mix: a sample the trace's key order cannot bias.
    if ((KeyHash.mix(key, ~seed) >>> 32) >= sampleThreshold) {
      return false;
    }
    for (int i = 0; i < shadows.length; i++) {
      if (shadows[i].access(key)) {
        periodHits[i]++;
      }
    }
    return ++sampled == period && decide();
  }

  private boolean decide() {
    decayedAccesses = decayedAccesses * decay + sampled;
    sampled = 0;
    int best = current;
    for (int i = 0; i < scores.length; i++) {
      scores[i] = scores[i] * decay + periodHits[i];
      periodHits[i] = 0;
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    if (best != current && scores[best] - scores[current] > margin * decayedAccesses) {
      current = best;
      return true;
    }
    return false;
  }
}
