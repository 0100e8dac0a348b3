package dev.cachet.cli.simulate.candidates;

/**
 * One setting of a {@link WindowTinyLfuCache} that a {@link ShadowTunedCache} can pick.
 *
 * @param windowShare the window's share of the capacity, 0 to 1 (1 makes the cache exactly LRU)
 * @param randomAdmission whether frequent losers of the admission duel get in one time in 128
 */
public record WindowSetting(double windowShare, boolean randomAdmission) {

  /** Checks the share. */
  public WindowSetting {
    if (!(windowShare >= 0 && windowShare <= 1)) {
      throw new IllegalArgumentException("window share must be in [0, 1], got " + windowShare);
    }
  }

  /** Applies this setting to {@code cache}, whose capacity is {@code capacity}. */
  void applyTo(WindowTinyLfuCache cache, int capacity) {
    cache.setWindowMax((int) Math.round(capacity * windowShare));
    cache.setRandomAdmission(randomAdmission);
  }
}
