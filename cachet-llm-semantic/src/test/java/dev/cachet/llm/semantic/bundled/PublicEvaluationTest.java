package dev.cachet.llm.semantic.bundled;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.llm.LlmCache;
import dev.cachet.llm.semantic.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall on the held-out ({@code test}) split of public pair sets that the
 * project neither wrote nor tuned on (see {@code eval/public/README.md}), and on the in-house
 * set of hard negatives (never trained on), for the cache's default decision: a stored prompt
 * with similarity at least {@link Verifier#DEFAULT_CANDIDATE_SIMILARITY} that passes the guard
 * (but for the rules the verifier judges itself) and that the bundled {@link Verifier} accepts
 * at its shipped threshold. The decision of
 * {@code noVerifier()} (similarity {@link LlmCache#DEFAULT_SIMILARITY_THRESHOLD} and guard) is
 * printed beside it. The numbers are in cachet-bench/RESULTS.md.
 */
class PublicEvaluationTest {
  private static Map<String, List<ScoredPair>> heldOut;

  @BeforeAll
  static void scoreTheHeldOutSplit() {
    List<PublicPairs.Pair> test = new ArrayList<>(PublicPairs.loadAll().stream()
        .filter(p -> !p.train()).toList());
    EvalSet.load().forEach(p -> test.add(new PublicPairs.Pair(p.a(), p.b(), p.same(),
        "in-house", "test")));
    heldOut = ScoredPair.score(test, Embedders.allMiniLmL6V2(), null).stream()
        .collect(Collectors.groupingBy(s -> s.pair().source()));
  }

  private static PrMetrics defaultDecision(String set) {
    Verifier v = Verifier.bundled();
    return PrMetrics.of(heldOut.get(set), s -> s.cosine() >= Verifier.DEFAULT_CANDIDATE_SIMILARITY
        && v.passesGuard(s.verdict()) && v.accepts(s.features()));
  }

  private static PrMetrics withoutVerifier(String set) {
    return PrMetrics.of(heldOut.get(set), s -> s.cosine() >= LlmCache.DEFAULT_SIMILARITY_THRESHOLD
        && s.verdict().accepted());
  }

  @Test
  void printsPrecisionAndRecallPerDataSetAndThreshold() {
    for (String set : heldOut.keySet().stream().sorted().toList()) {
      List<ScoredPair> pairs = heldOut.get(set);
      assertThat(pairs).as(set + " held-out pairs").hasSizeGreaterThan(200);
      System.out.println("\n" + set + " held-out: setting | precision | recall | hits | wrong");
      for (double t = 0.70; t <= 0.951; t += 0.05) {
        double threshold = t;
        System.out.printf(Locale.ROOT, "cosine >= %.2f + guard | %s%n", t, PrMetrics.of(pairs,
            s -> s.cosine() >= threshold && s.verdict().accepted()).row());
      }
      System.out.println("default (guard + verifier) | " + defaultDecision(set).row());
    }
  }

  @Test
  void theDefaultDecisionIsAtLeast095PreciseOnEveryHeldOutSet() {
    for (String set : List.of("mrpc", "stsb", "mqp", "in-house")) {
      assertThat(defaultDecision(set).precision()).as(set + " precision")
          .isGreaterThanOrEqualTo(0.95);
    }
  }

  @Test
  void theDefaultDecisionKeepsItsMeasuredRecall() {
    // Regression floors a little under what the shipped verifier measures (RESULTS.md): the
    // issue's bar of recall 0.5 is not met on the public sets yet.
    assertThat(defaultDecision("mrpc").recall()).isGreaterThan(0.15);
    assertThat(defaultDecision("stsb").recall()).isGreaterThan(0.35);
    assertThat(defaultDecision("mqp").recall()).isGreaterThan(0.18);
    assertThat(defaultDecision("in-house").recall()).isGreaterThan(0.70);
  }

  @Test
  void theVerifierIsMorePreciseThanSimilarityAndGuardAloneOnTheQuestionSets() {
    for (String set : List.of("mrpc", "mqp")) {
      assertThat(defaultDecision(set).precision()).as(set)
          .isGreaterThan(withoutVerifier(set).precision());
    }
  }
}
