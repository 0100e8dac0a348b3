package dev.cachet.cli.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Precision and recall of the semantic cache's decision (a score at least a threshold and the
 * guard accepts) at each of a range of thresholds, over scored pairs. The score is the
 * similarity without a verifier, the verifier's probability with one.
 */
public final class ThresholdSweep {

  /**
   * A pair as the cache sees it.
   *
   * @param same the label
   * @param similarity the score thresholded: the cosine similarity of the two prompts under the
   *     cache's model, or the verifier's probability (negative for a pair that is no candidate)
   * @param guardAccepts whether the guard lets the pair through
   */
  public record Scored(boolean same, double similarity, boolean guardAccepts) {
  }

  /**
   * The outcome at one threshold.
   *
   * @param threshold the similarity a hit needs
   * @param hits the pairs that would be served from the cache
   * @param wrongHits hits whose label says the answer is wrong
   * @param positives the pairs labelled the same
   */
  public record Point(double threshold, int hits, int wrongHits, int positives) {
    /**
     * The share of hits that are right; 1 when there are no hits.
     *
     * @return the precision
     */
    public double precision() {
      return hits == 0 ? 1 : (double) (hits - wrongHits) / hits;
    }

    /**
     * The share of same-meaning pairs that are hits.
     *
     * @return the recall, 0 when no pair is labelled the same
     */
    public double recall() {
      return positives == 0 ? 0 : (double) (hits - wrongHits) / positives;
    }
  }

  private ThresholdSweep() {
  }

  /**
   * Sweeps thresholds from {@code from} to {@code to} by {@code step}.
   *
   * @param pairs the scored pairs
   * @param from the lowest threshold
   * @param to the highest threshold
   * @param step the step, positive
   * @return one point per threshold, lowest first
   */
  public static List<Point> sweep(List<Scored> pairs, double from, double to, double step) {
    if (!(step > 0)) {
      throw new IllegalArgumentException("step must be positive, got " + step);
    }
    int positives = (int) pairs.stream().filter(Scored::same).count();
    List<Point> points = new ArrayList<>();
    int steps = (int) Math.round((to - from) / step);
    for (int i = 0; i <= steps; i++) {
      double t = Math.round((from + i * step) * 1000) / 1000.0;
      int hits = 0;
      int wrong = 0;
      for (Scored s : pairs) {
        if (s.similarity() >= t && s.guardAccepts()) {
          hits++;
          if (!s.same()) {
            wrong++;
          }
        }
      }
      points.add(new Point(t, hits, wrong, positives));
    }
    return points;
  }
}
