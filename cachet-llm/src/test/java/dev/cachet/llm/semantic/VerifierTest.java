package dev.cachet.llm.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The verifier's weights: loading, saving and the errors a wrong file gives. */
class VerifierTest {

  @Test
  void bundledWeightsLoadAndSayWhatTheyWereTrainedOn() {
    Verifier v = Verifier.bundled();
    assertThat(v.provenance()).contains("train split");
    assertThat(v.decisionThreshold()).isBetween(0.5, 1.0);
  }

  @Test
  void jsonRoundTripKeepsTheDecisions() {
    Verifier v = Verifier.bundled();
    Verifier copy = Verifier.fromJson(v.toJson());
    double[] f = PairFeatures.of("How do I learn Java?", "How can I learn Java?", 0.93,
        new SemanticGuard().check("How do I learn Java?", "How can I learn Java?"));
    assertThat(copy.probability(f)).isEqualTo(v.probability(f));
    assertThat(copy.decisionThreshold()).isEqualTo(v.decisionThreshold());
  }

  @Test
  void aParaphraseScoresHigherThanAnExtraConstraint() {
    Verifier v = Verifier.bundled();
    SemanticGuard guard = new SemanticGuard();
    String stored = "How do I learn Java?";
    double paraphrase = v.probability(PairFeatures.of("How can I learn Java?", stored, 0.95,
        guard.check("How can I learn Java?", stored)));
    double narrower = v.probability(PairFeatures.of("How do I learn Java in 30 days?", stored,
        0.88, guard.check("How do I learn Java in 30 days?", stored)));
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
