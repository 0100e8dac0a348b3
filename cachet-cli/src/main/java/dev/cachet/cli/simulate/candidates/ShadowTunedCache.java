package dev.cachet.cli.simulate.candidates;

import java.util.List;

/**
 * Cachet's adaptive candidate: a live {@link WindowTinyLfuCache} whose {@link WindowSetting} is
 * picked by "shadow" caches, one small W-TinyLFU per setting, that see only a spatial sample of
 * the keys (those whose hash falls in a fixed fraction of the hash space) and hold the same
 * fraction of the capacity. A sample of keys keeps the reuse distances of the whole trace, so
 * the shadows rank the settings the way full-size caches would, at a fraction of the cost; the
 * live cache takes the setting of the shadow with the most (decayed) hits when it leads the
 * current one by a margin.
 *
 * <p>Why shadows rather than Caffeine's hill climbing alone: climbing compares the live cache
 * with its own past, one step at a time, so reaching a 100% window (exactly LRU, the best policy
 * on recency-skewed traces such as sprite and zigzag) takes many periods, and on loops it
 * wanders. Shadows compare every setting at once, on the same accesses.
 *
 * <p>Decisions: every {@code period x shadow capacity} sampled accesses, each shadow's hits and
 * the number of sampled accesses are added to exponentially decayed sums; the live setting
 * changes when another shadow's sum exceeds the current one's by {@code margin} times the decayed
 * access count. Frequent checks make a clear lead act fast; the decay and margin keep two
 * close settings from flapping, since every switch costs the live cache misses while it
 * reshapes.
 */
public final class ShadowTunedCache implements CandidateCache {
  /**
   * The settings Cachet's candidate picks from: W-TinyLFU with a 1% window as Caffeine runs it
   * (frequent losers of the admission duel get in now and then), the same without that luck
   * (which keeps a loop's prefix intact), and a 100% window, which is exactly LRU.
   */
  public static final List<WindowSetting> SETTINGS = List.of(new WindowSetting(0.01, true),
      new WindowSetting(0.01, false), new WindowSetting(1.0, false));

  private final int capacity;
  private final List<WindowSetting> settings;
  private final WindowTinyLfuCache live;
  private final WindowTinyLfuCache[] shadows;
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
   * A cache starting in the first setting, with one shadow per setting.
   *
   * @param capacity the most keys held by the live cache
   * @param settings the settings to try; the first is where the live cache starts
   * @param sampleShare the fraction of the key space the shadows see, for large caches; small
   *     caches sample more, so each shadow holds at least {@code minShadow} keys
   * @param minShadow the least capacity of a shadow, for statistics worth trusting
   * @param period sampled accesses between decisions, in multiples of the shadow capacity
   * @param decay the weight of the past at each decision, 0 (forget) to 1 (keep all)
   * @param margin the lead, as a share of the decayed sampled accesses, that a setting needs
   * @param seed salts the sketches and the sampling hash
   */
  public ShadowTunedCache(int capacity, List<WindowSetting> settings, double sampleShare,
      int minShadow, double period, double decay, double margin, long seed) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    if (settings.isEmpty()) {
      throw new IllegalArgumentException("at least one setting is needed");
    }
    this.capacity = capacity;
    this.settings = List.copyOf(settings);
    this.seed = seed;
    this.decay = decay;
    this.margin = margin;
    double share = Math.min(1.0, Math.max(sampleShare, (double) minShadow / capacity));
    this.sampleThreshold = (long) (share * (1L << 32));
    int shadowCapacity = Math.max(1, (int) Math.round(capacity * share));
    this.live = new WindowTinyLfuCache(capacity, 0, false, seed);
    this.settings.get(0).applyTo(live, capacity);
    this.shadows = new WindowTinyLfuCache[this.settings.size()];
    for (int i = 0; i < shadows.length; i++) {
      shadows[i] = new WindowTinyLfuCache(shadowCapacity, 0, false, seed + 1 + i);
      this.settings.get(i).applyTo(shadows[i], shadowCapacity);
    }
    this.periodHits = new long[shadows.length];
    this.scores = new double[shadows.length];
    this.period = Math.max(1, (int) Math.round(period * shadowCapacity));
  }

  /** The setting the live cache currently uses. */
  public WindowSetting setting() {
    return settings.get(current);
  }

  @Override
  public boolean access(long key) {
    boolean hit = live.access(key);
    // The upper 32 bits of a salted mix: a sample the trace's key order cannot bias.
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
      current = best;
      settings.get(best).applyTo(live, capacity);
    }
  }

  @Override
  public int size() {
    return live.size();
  }
}
