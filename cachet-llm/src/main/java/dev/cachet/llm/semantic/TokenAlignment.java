package dev.cachet.llm.semantic;

import java.util.List;

/**
 * How well the tokens of two prompts align under the model's contextual token vectors, in the
 * manner of BERTScore: each token of one prompt is matched to its most similar token of the
 * other.
 *
 * <p>Why: a mean-pooled sentence vector hardly moves when one content word is added or swapped
 * ("How do I learn Java?" against "How do I learn Java in 30 days?"), but that word's best match
 * in the other prompt is poor, and the worst-aligned tokens show it. Stateless and thread-safe.
 */
public final class TokenAlignment {
  /** The names of the features, in the order of {@link #of}'s array. */
  static final List<String> NAMES = List.of("align_f1", "align_min_side",
      "align_worst", "align_second_worst", "align_unaligned");

  /** Below this best-match similarity a token counts as having no counterpart. */
  private static final double UNALIGNED = 0.5;

  private TokenAlignment() {
  }

  /**
   * Computes the alignment features of two prompts' token vectors.
   *
   * @param a one prompt's token vectors (unit length, special tokens left out); empty when
   *     unknown, which gives neutral values
   * @param b the other prompt's token vectors, likewise
   * @return {@code f1} (harmonic mean of both sides' mean best match), the lower side's mean best
   *     match, the worst and second-worst best match over both sides, and the larger side's
   *     fraction of tokens whose best match is under 0.5
   */
  public static double[] of(float[][] a, float[][] b) {
    if (a.length == 0 || b.length == 0) {
      return new double[] {1, 1, 1, 1, 0};
    }
    double[] bestA = bestMatches(a, b);
    double[] bestB = bestMatches(b, a);
    double meanA = mean(bestA);
    double meanB = mean(bestB);
    double worst = 1;
    double second = 1;
    for (double[] side : new double[][] {bestA, bestB}) {
      for (double x : side) {
        if (x < worst) {
          second = worst;
          worst = x;
        } else if (x < second) {
          second = x;
        }
      }
    }
    return new double[] {
        meanA + meanB <= 0 ? 0 : 2 * meanA * meanB / (meanA + meanB),
        Math.min(meanA, meanB),
        worst,
        second,
        Math.max(unaligned(bestA), unaligned(bestB)),
    };
  }

  private static double[] bestMatches(float[][] from, float[][] to) {
    double[] best = new double[from.length];
    for (int i = 0; i < from.length; i++) {
      double max = -1;
      for (float[] t : to) {
        max = Math.max(max, Vectors.dot(from[i], t));
      }
      best[i] = max;
    }
    return best;
  }

  private static double mean(double[] xs) {
    double sum = 0;
    for (double x : xs) {
      sum += x;
    }
    return sum / xs.length;
  }

  private static double unaligned(double[] best) {
    int n = 0;
    for (double x : best) {
      if (x < UNALIGNED) {
        n++;
      }
    }
    return (double) n / best.length;
  }
}
