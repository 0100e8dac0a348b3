package dev.cachet.cli.simulate.candidates;

import java.util.List;

/**
 * A cache that runs one of several whole policies at a time and switches between them when
 * sampled shadow caches (one per policy, on a spatial sample of the keys, scaled down) say
 * another policy would hit more. On a switch the new policy is built and handed the old one's
 * resident keys, coldest first, as if they had just been accessed once; those hand-over
 * accesses are not counted.
 *
 * <p>The decision rule is {@link ShadowTunedCache}'s ({@link ShadowSelector}); what differs is
 * that the choices are different structures (say W-TinyLFU, LIRS and LRU) rather than settings
 * of one, which reaches policies no window share can imitate, at the price of a costly switch.
 */
public final class PolicySwitchingCache implements CandidateCache {
  private final int capacity;
  private final List<CandidateFactory> policies;
  private final ShadowSelector selector;
  private final long seed;
  private CandidateCache live;

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
    if (policies.isEmpty()) {
      throw new IllegalArgumentException("at least one policy is needed");
    }
    this.policies = List.copyOf(policies);
    this.selector = new ShadowSelector(capacity, this.policies.size(),
        (i, shadowCapacity, shadowSeed) -> this.policies.get(i).create(shadowCapacity, shadowSeed),
        sampleShare, minShadow, period, decay, margin, seed);
    this.capacity = capacity;
    this.seed = seed;
    this.live = this.policies.get(0).create(capacity, seed);
  }

  /** The index, in the list given, of the policy the live cache runs. */
  public int current() {
    return selector.current();
  }

  @Override
  public boolean access(long key) {
    boolean hit = live.access(key);
    if (selector.observe(key)) {
      long[] keys = live.residentKeys();
      live = policies.get(selector.current()).create(capacity, seed);
      for (long k : keys) {
        live.access(k);
      }
    }
    return hit;
  }

  @Override
  public int size() {
    return live.size();
  }
}
