package dev.cachet.cli.simulate.candidates;

/**
 * Tunes a W-TinyLFU window by hill climbing on the hit rate, the way Caffeine does: every sample
 * period (ten times the capacity in accesses) the window moves by a step; if the hit rate fell
 * since the previous period the direction flips. The step shrinks by 2% each period so the size
 * settles, and is reset to its initial 6.25% of the capacity when the hit rate jumps by more
 * than 5 points, which is what a change of workload looks like.
 */
final class HillClimber {
  private static final double STEP_SHARE = 0.0625;
  private static final double DECAY = 0.98;
  private static final double RESTART = 0.05;

  private final int capacity;
  private final int period;
  private int samples;
  private int hits;
  private double previousRate = Double.NaN;
  private double step;

  HillClimber(int capacity) {
    this.capacity = capacity;
    this.period = 10 * capacity;
    this.step = STEP_SHARE * capacity;
  }

  /**
   * Counts one access.
   *
   * @return how many entries to add to the window (negative: remove), usually 0
   */
  int record(boolean hit) {
    if (hit) {
      hits++;
    }
    if (++samples < period) {
      return 0;
    }
    double rate = (double) hits / samples;
    samples = 0;
    hits = 0;
    if (Double.isNaN(previousRate)) {
      previousRate = rate;
      return (int) Math.round(step);
    }
    double change = rate - previousRate;
    previousRate = rate;
    if (change < 0) {
      step = -step;
    }
    if (Math.abs(change) >= RESTART) {
      step = Math.copySign(STEP_SHARE * capacity, step);
    } else {
      step *= DECAY;
    }
    long move = Math.round(step);
    return (int) Math.max(-capacity, Math.min(capacity, move));
  }
}
