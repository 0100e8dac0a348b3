package dev.cachet.llm.semantic.bundled;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** Precision and recall of a decision rule over scored public pairs. */
record PrMetrics(int tp, int fp, int fn, int tn) {

  static PrMetrics of(List<ScoredPair> pairs, Predicate<ScoredPair> hit) {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    int tn = 0;
    for (ScoredPair s : pairs) {
      boolean predicted = hit.test(s);
      if (s.pair().same()) {
        if (predicted) {
          tp++;
        } else {
          fn++;
        }
      } else if (predicted) {
        fp++;
      } else {
        tn++;
      }
    }
    return new PrMetrics(tp, fp, fn, tn);
  }

  double precision() {
    return tp + fp == 0 ? 1 : (double) tp / (tp + fp);
  }

  double recall() {
    return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
  }

  /** A Markdown table row: precision, recall, hits, wrong hits. */
  String row() {
    return String.format(Locale.ROOT, "%.3f | %.3f | %d | %d", precision(), recall(), tp + fp,
        fp);
  }
}
