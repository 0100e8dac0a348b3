package dev.cachet.llm.semantic.bundled;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.llm.LlmCache;
import dev.cachet.llm.semantic.Verifier;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall on the held-out ({@code test}) split of public pair sets that the
 * project neither wrote nor tuned on (see {@code eval/public/README.md}): the default pipeline
 * (bundled model, {@link LlmCache#DEFAULT_SIMILARITY_THRESHOLD}, guard) and the bundled
 * {@link Verifier} at its shipped decision threshold. Prints a table per data set and
 * threshold; the numbers are in cachet-bench/RESULTS.md.
 */
class PublicEvaluationTest {
  private static Map<String, List<ScoredPair>> heldOut;

  @BeforeAll
  static void scoreTheHeldOutSplit() {
    List<PublicPairs.Pair> test = PublicPairs.loadAll().stream().filter(p -> !p.train())
        .toList();
    heldOut = ScoredPair.score(test, Embedders.allMiniLmL6V2(), null).stream()
        .collect(Collectors.groupingBy(s -> s.pair().source()));
  }

  private static PrMetrics defaultPipeline(String set) {
    return PrMetrics.of(heldOut.get(set), s -> s.cosine() >= LlmCache.DEFAULT_SIMILARITY_THRESHOLD
        && s.verdict().accepted());
  }

  private static PrMetrics verifier(String set) {
    Verifier v = Verifier.bundled();
    return PrMetrics.of(heldOut.get(set), s -> s.cosine() >= Verifier.DEFAULT_CANDIDATE_SIMILARITY
        && v.accepts(s.features()));
  }

  @Test
  void printsPrecisionAndRecallPerDataSetAndThreshold() {
    for (String set : PublicPairs.SETS) {
      List<ScoredPair> pairs = heldOut.get(set);
      assertThat(pairs).as(set + " held-out pairs").hasSizeGreaterThan(200);
      System.out.println("\n" + set + " held-out: setting | precision | recall | hits | wrong");
      for (double t = 0.70; t <= 0.951; t += 0.05) {
        double threshold = t;
        System.out.printf(Locale.ROOT, "cosine >= %.2f + guard | %s%n", t, PrMetrics.of(pairs,
            s -> s.cosine() >= threshold && s.verdict().accepted()).row());
      }
      System.out.println("verifier (shipped) | " + verifier(set).row());
    }
  }

  @Test
  void defaultPipelineKeepsItsHeldOutPrecisionOnSts() {
    // STS-B (captions, headlines, forums; score >= 4 versus <= 2): the bar is met.
    PrMetrics m = defaultPipeline("stsb");
    assertThat(m.precision()).isGreaterThanOrEqualTo(0.95);
    assertThat(m.recall()).isGreaterThanOrEqualTo(0.5);
  }

  @Test
  void defaultPipelineDoesNotFallBelowItsMeasuredPrecisionOnMrpc() {
    // MRPC (news sentences) does NOT meet the bar (0.95 at recall 0.5): the default
    // measures 0.842 at recall 0.183. This floor catches regressions until it does.
    PrMetrics m = defaultPipeline("mrpc");
    assertThat(m.precision()).isGreaterThanOrEqualTo(0.80);
  }

  @Test
  void bundledVerifierReachesPrecision095OnEveryHeldOutSet() {
    for (String set : PublicPairs.SETS) {
      PrMetrics m = verifier(set);
      assertThat(m.precision()).as(set + " verifier precision").isGreaterThanOrEqualTo(0.95);
      assertThat(m.recall()).as(set + " verifier recall").isGreaterThan(0.25);
    }
  }
}
