package dev.cachet.cli.simulate.candidates;

import java.util.List;

/**
 * Cachet's adaptive candidate: a live {@link WindowTinyLfuCache} whose {@link WindowSetting} is
 * picked by a {@link ShadowSelector}: one small W-TinyLFU per setting, on a spatial sample of
 * the keys; the live cache takes the setting of the shadow with the most (decayed) hits when it
 * leads the current one by a margin.
 *
 * <p>Why shadows rather than Caffeine's hill climbing alone: climbing compares the live cache
 * with its own past, one step at a time, so reaching a 100% window (exactly LRU, the best policy
 * on recency-skewed traces such as sprite and zigzag) takes many periods, and on loops it
 * wanders. Shadows compare every setting at once, on the same accesses.
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
  private final ShadowSelector selector;

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
    if (settings.isEmpty()) {
      throw new IllegalArgumentException("at least one setting is needed");
    }
    this.settings = List.copyOf(settings);
    this.selector = new ShadowSelector(capacity, this.settings.size(),
        (i, shadowCapacity, shadowSeed) -> {
          WindowTinyLfuCache shadow = new WindowTinyLfuCache(shadowCapacity, 0, false, shadowSeed);
          this.settings.get(i).applyTo(shadow, shadowCapacity);
          return shadow;
        }, sampleShare, minShadow, period, decay, margin, seed);
    this.capacity = capacity;
    this.live = new WindowTinyLfuCache(capacity, 0, false, seed);
    this.settings.get(0).applyTo(live, capacity);
  }

  /** The setting the live cache currently uses. */
  public WindowSetting setting() {
    return settings.get(selector.current());
  }

  @Override
  public boolean access(long key) {
    boolean hit = live.access(key);
    if (selector.observe(key)) {
      settings.get(selector.current()).applyTo(live, capacity);
    }
    return hit;
  }

  @Override
  public int size() {
    return live.size();
  }
}
