package dev.cachet.llm.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The verifier's weights: loading, saving and the errors a wrong file gives. */
class VerifierTest {
  private static final float[][] NO_TOKENS = new float[0][];

  @Test
  void bundledWeightsLoadAndSayWhatTheyWereTrainedOn() {
    Verifier v = Verifier.bundled();
    assertThat(v.provenance()).contains("train split");
    assertThat(v.decisionThreshold()).isBetween(0.5, 1.0);
    assertThat(v.model()).isEqualTo("all-minilm-l6-v2-q");
  }

  @Test
  void theEntityRuleIsJudgedByTheVerifierAndEveryOtherRuleStaysAVeto() {
    Verifier v = Verifier.bundled();
    SemanticGuard guard = new SemanticGuard();
    assertThat(v.judgedRules()).containsExactly("entities");
    assertThat(v.passesGuard(guard.check("What is the function of TV?",
        "What is the function of money?"))).isTrue();
    assertThat(v.passesGuard(guard.check("What is 2 plus 2?", "What is 3 plus 3?"))).isFalse();
    assertThat(v.passesGuard(guard.check("Is coffee healthy?", "Is coffee not healthy?")))
        .isFalse();
    assertThat(Verifier.fromJson(v.toJson()).judgedRules()).isEqualTo(v.judgedRules());
  }

  @Test
  void appliesOnlyToTheModelItWasTrainedFor() {
    Verifier v = Verifier.bundled();
    assertThat(v.appliesTo(embedder("all-minilm-l6-v2-q"))).isTrue();
    assertThat(v.appliesTo(embedder("bge-small-en-v1.5-q"))).isFalse();
  }

  private static Embedder embedder(String id) {
    return new Embedder() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public int dimension() {
        return 2;
      }

      @Override
      public float[] embed(String text) {
        return new float[] {1, 0};
      }
    };
  }

  @Test
  void jsonRoundTripKeepsTheDecisions() {
    Verifier v = Verifier.bundled();
    Verifier copy = Verifier.fromJson(v.toJson());
    double[] f = PairFeatures.of("How do I learn Java?", "How can I learn Java?", 0.93,
        new SemanticGuard().check("How do I learn Java?", "How can I learn Java?"), NO_TOKENS,
        NO_TOKENS);
    assertThat(copy.probability(f)).isEqualTo(v.probability(f));
    assertThat(copy.decisionThreshold()).isEqualTo(v.decisionThreshold());
  }

  @Test
  void aParaphraseScoresHigherThanAnExtraConstraint() {
    Verifier v = Verifier.bundled();
    SemanticGuard guard = new SemanticGuard();
    String stored = "How do I learn Java?";
    double paraphrase = v.probability(PairFeatures.of("How can I learn Java?", stored, 0.95,
        guard.check("How can I learn Java?", stored), NO_TOKENS, NO_TOKENS));
    double narrower = v.probability(PairFeatures.of("How do I learn Java in 30 days?", stored,
        0.88, guard.check("How do I learn Java in 30 days?", stored), NO_TOKENS, NO_TOKENS));
    assertThat(paraphrase).isGreaterThan(narrower);
  }

  @Test
  void weightsForOtherFeaturesAreRefusedWithTheReason() {
    var json = Verifier.bundled().toJson();
    json.putArray("features").add("something_else");
    assertThatThrownBy(() -> Verifier.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retrain");
  }

  @Test
  void aThresholdOutsideZeroToOneIsRefused() {
    assertThatThrownBy(() -> Verifier.bundled().withDecisionThreshold(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1]");
  }
}
