package dev.cachet.llm.semantic.bundled;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.llm.LlmCache;
import dev.cachet.llm.semantic.SemanticGuard;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of the semantic cache (bundled model + threshold + guard) on the
 * labelled pairs in {@code semantic-eval.jsonl}: paraphrases, and hard negatives that differ in
 * numbers, negation, entities, roles or topic.
 */
class SemanticEvaluationTest {

  @Test
  void precisionAtTheDefaultThresholdIsAtLeast095() {
    List<EvalSet.Pair> pairs = EvalSet.load();
    assertThat(pairs).hasSizeGreaterThanOrEqualTo(300);
    assertThat(pairs.stream().filter(EvalSet.Pair::same).count())
        .as("balanced").isBetween(140L, 180L);
    List<EvalSet.Scored> scored = EvalSet.score(pairs, Embedders.allMiniLmL6V2(),
        new SemanticGuard());
    double threshold = LlmCache.DEFAULT_SIMILARITY_THRESHOLD;
    EvalSet.Metrics guarded = EvalSet.metrics(scored, threshold, true);
    EvalSet.Metrics unguarded = EvalSet.metrics(scored, threshold, false);
    System.out.println("Semantic evaluation, " + pairs.size() + " pairs, "
        + Embedders.ALL_MINILM_L6_V2_Q);
    System.out.println("  with guard:    " + guarded);
    System.out.println("  without guard: " + unguarded);
    Map<String, int[]> byKind = new TreeMap<>();
    for (EvalSet.Scored s : scored) {
      int[] counts = byKind.computeIfAbsent(s.pair().kind(), k -> new int[2]);
      counts[0]++;
      if (s.predicted(threshold, true) == s.pair().same()) {
        counts[1]++;
      }
    }
    byKind.forEach((kind, c) -> System.out.println("  " + kind + ": " + c[1] + "/" + c[0]
        + " correct"));
    assertThat(guarded.precision()).isGreaterThanOrEqualTo(0.95);
    assertThat(guarded.recall()).isGreaterThanOrEqualTo(0.6);
  }
}
