package dev.cachet.llm.semantic;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * A similarity threshold that adapts to feedback so that the error rate of semantic hits stays
 * under a bound the user chooses, in the spirit of vCache: instead of one threshold calibrated
 * offline, each partition learns from labelled observations (a user's
 * {@code feedback(entryId, correct)} on a served hit, or an explored candidate answered fresh and
 * compared) which similarity its hits need.
 *
 * <p><b>What it guarantees.</b> {@link #threshold()} is the lowest observed similarity {@code t}
 * such that, among the last {@code window} observations with similarity at least {@code t} (at
 * least {@code minObservations} of them), the upper end of a one-sided Wilson interval at 95 %
 * confidence on the error rate is at most {@code maxErrorRate}. If the observations are an
 * unbiased sample of the candidates at each similarity (which is what {@link #explore} keeps
 * true below the threshold), hits above it err at most {@code maxErrorRate} with about 95 %
 * confidence. It is not corrected for choosing among many thresholds, and it says nothing until
 * there is evidence: with too few observations the threshold is {@code 1.0} (only identical
 * vectors hit).
 *
 * <p>Thread-safe (synchronized: one instance per partition, updates are rare next to lookups).
 */
public final class ErrorBoundedThreshold {
  private static final double Z95 = 1.645; // one-sided 95 %

  private final double maxErrorRate;
  private final int minObservations;
  private final int window;
  private final double explorationRate;
  private final Deque<double[]> observations = new ArrayDeque<>(); // {similarity, 1 if wrong}
  private double threshold = 1.0;
  private boolean stale;

  /**
   * Creates a bound.
   *
   * @param maxErrorRate the largest acceptable share of wrong hits, in (0, 1), such as 0.02
   * @param minObservations the fewest observations above a threshold before it may be used
   * @param window how many recent observations are kept (older ones are forgotten, so the
   *     threshold follows drifting traffic)
   * @param explorationRate the share of candidates below the threshold to verify, in [0, 1]
   */
  public ErrorBoundedThreshold(double maxErrorRate, int minObservations, int window,
      double explorationRate) {
    if (!(maxErrorRate > 0 && maxErrorRate < 1)) {
      throw new IllegalArgumentException("maxErrorRate is a rate in (0, 1), got "
          + maxErrorRate);
    }
    if (minObservations < 1 || window < minObservations) {
      throw new IllegalArgumentException("Need 1 <= minObservations <= window, got "
          + minObservations + " and " + window);
    }
    if (!(explorationRate >= 0 && explorationRate <= 1)) {
      throw new IllegalArgumentException("explorationRate is in [0, 1], got " + explorationRate);
    }
    this.maxErrorRate = maxErrorRate;
    this.minObservations = minObservations;
    this.window = window;
    this.explorationRate = explorationRate;
  }

  /**
   * Records whether the stored answer was right for a candidate at this similarity.
   *
   * @param similarity the cosine similarity of the candidate
   * @param correct whether its answer was right
   */
  public synchronized void observe(double similarity, boolean correct) {
    observations.addLast(new double[] {similarity, correct ? 0 : 1});
    if (observations.size() > window) {
      observations.removeFirst();
    }
    stale = true;
  }

  /**
   * Whether a candidate below the threshold should be verified (answered fresh and compared,
   * then {@link #observe}d) rather than simply missed: without such samples the bound could
   * never learn that lower similarities are safe.
   *
   * @param similarity the candidate's similarity
   * @param uniform a uniform random number in [0, 1) (passed in, so that callers and tests
   *     control the randomness)
   * @return true to verify it
   */
  public boolean explore(double similarity, double uniform) {
    return similarity < threshold() && uniform < explorationRate;
  }

  /**
   * The similarity a hit needs now.
   *
   * @return a threshold in [0, 1]; 1.0 until there is enough evidence
   */
  public synchronized double threshold() {
    if (stale) {
      threshold = recompute();
      stale = false;
    }
    return threshold;
  }

  private double recompute() {
    double[][] obs = observations.toArray(new double[0][]);
    Arrays.sort(obs, (x, y) -> Double.compare(y[0], x[0])); // most similar first
    double best = 1.0;
    int n = 0;
    int errors = 0;
    for (int i = 0; i < obs.length; i++) {
      n++;
      errors += (int) obs[i][1];
      // A threshold admits every observation at its score: judge it after the last of a tie.
      boolean lastOfTie = i + 1 == obs.length || obs[i + 1][0] < obs[i][0];
      if (lastOfTie && n >= minObservations && wilsonUpper(errors, n) <= maxErrorRate) {
        best = obs[i][0];
      }
    }
    return best;
  }

  private static double wilsonUpper(int errors, int n) {
    double p = (double) errors / n;
    double z2 = Z95 * Z95;
    double centre = p + z2 / (2 * n);
    double spread = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return (centre + spread) / (1 + z2 / n);
  }

  /**
   * The bound it keeps.
   *
   * @return the maximum error rate
   */
  public double maxErrorRate() {
    return maxErrorRate;
  }
}
