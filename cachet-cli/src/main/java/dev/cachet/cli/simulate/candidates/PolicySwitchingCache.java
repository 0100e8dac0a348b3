package dev.cachet.cli.simulate.candidates;

import java.util.List;

/**
 * A cache that runs one of several whole policies at a time and switches between them when
 * sampled shadow caches (one per policy, on a spatial sample of the keys, scaled down) say
 * another policy would hit more. On a switch the new policy is built and handed the old one's
 * resident keys, coldest first, as if they had just been accessed once; those hand-over
 * accesses are not counted.
 *
 * <p>The decision rule is {@link ShadowTunedCache}'s (decayed hit counts, a margin); what
 * differs is that the choices are different structures (say W-TinyLFU, LIRS and LRU) rather
 * than settings of one, which reaches policies no window share can imitate, at the price of a
 * costly switch.
 */
public final class PolicySwitchingCache implements CandidateCache {
  private final int capacity;
  private final List<CandidateFactory> policies;
  private final CandidateCache[] shadows;
  private final long[] periodHits;
  private final double[] scores;
  private final long sampleThreshold;
  private final long seed;
  private final int period;
  private final double decay;
  private final double margin;
  private CandidateCache live;
  private int sampled;
  private double decayedAccesses;
  private int current;

  /**
   * A cache running the first policy, with one shadow per policy.
   *
   * @param capacity the most keys held by the live cache
   * @param policies the policies to choose from (their models must list their keys); the first
   *     is where the live cache starts
   * @param sampleShare the fraction of the key space the shadows see, for large caches
   * @param minShadow the least capacity of a shadow
   * @param period sampled accesses between decisions, in multiples of the shadow capacity
   * @param decay the weight of the past at each decision
   * @param margin the lead, as a share of the decayed sampled accesses, that a policy needs
   * @param seed salts the models and the sampling hash
   */
  public PolicySwitchingCache(int capacity, List<CandidateFactory> policies, double sampleShare,
      int minShadow, double period, double decay, double margin, long seed) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    if (policies.isEmpty()) {
      throw new IllegalArgumentException("at least one policy is needed");
    }
    this.capacity = capacity;
    this.policies = List.copyOf(policies);
    this.seed = seed;
    this.decay = decay;
    this.margin = margin;
    double share = Math.min(1.0, Math.max(sampleShare, (double) minShadow / capacity));
    this.sampleThreshold = (long) (share * (1L << 32));
    int shadowCapacity = Math.max(1, (int) Math.round(capacity * share));
    this.live = this.policies.get(0).create(capacity, seed);
    this.shadows = new CandidateCache[this.policies.size()];
    for (int i = 0; i < shadows.length; i++) {
      shadows[i] = this.policies.get(i).create(shadowCapacity, seed + 1 + i);
    }
    this.periodHits = new long[shadows.length];
    this.scores = new double[shadows.length];
    this.period = Math.max(1, (int) Math.round(period * shadowCapacity));
  }

  /** The index, in the list given, of the policy the live cache runs. */
  public int current() {
    return current;
  }

  @Override
  public boolean access(long key) {
    boolean hit = live.access(key);
    if ((KeyHash.mix(key, ~seed) >>> 32) < sampleThreshold) {
      for (int i = 0; i < shadows.length; i++) {
        if (shadows[i].access(key)) {
          periodHits[i]++;
        }
      }
      if (++sampled == period) {
        decide();
      }
    }
    return hit;
  }

  private void decide() {
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
      long[] keys = live.residentKeys();
      current = best;
      live = policies.get(best).create(capacity, seed);
      for (long k : keys) {
        live.access(k);
      }
    }
  }

  @Override
  public int size() {
    return live.size();
  }
}
