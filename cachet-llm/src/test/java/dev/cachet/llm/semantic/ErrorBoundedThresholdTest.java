package dev.cachet.llm.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The error-bounded threshold on a simulated stream of candidates with feedback. */
class ErrorBoundedThresholdTest {

  /** The chance that a candidate at this similarity has the right answer: rises around 0.85. */
  private static double chanceCorrect(double similarity) {
    return 1 / (1 + Math.exp(-40 * (similarity - 0.85)));
  }

  @Test
  void servedHitsStayUnderTheChosenErrorRateOnASimulatedStream() {
    ErrorBoundedThreshold bound = new ErrorBoundedThreshold(0.02, 200, 20_000, 0.1);
    SplittableRandom random = new SplittableRandom(7);
    int hits = 0;
    int wrongHits = 0;
    int candidates = 60_000;
    for (int i = 0; i < candidates; i++) {
      double similarity = 0.6 + 0.4 * random.nextDouble();
      boolean correct = random.nextDouble() < chanceCorrect(similarity);
      if (similarity >= bound.threshold()) {
        hits++;
        wrongHits += correct ? 0 : 1;
        bound.observe(similarity, correct); // the user's feedback on a served hit
      } else if (bound.explore(similarity, random.nextDouble())) {
        bound.observe(similarity, correct); // answered fresh and compared
      }
    }
    double errorRate = (double) wrongHits / hits;
    assertThat(errorRate).as("error rate of served hits").isLessThanOrEqualTo(0.02);
    // It does learn: far more hits than "only identical prompts" would give.
    assertThat(hits).isGreaterThan(candidates / 10);
    assertThat(bound.threshold()).isBetween(0.85, 0.99);
  }

  @Test
  void aTighterBoundNeedsAHigherThreshold() {
    ErrorBoundedThreshold loose = new ErrorBoundedThreshold(0.10, 50, 10_000, 0);
    ErrorBoundedThreshold tight = new ErrorBoundedThreshold(0.01, 50, 10_000, 0);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 10_000; i++) {
      double s = 0.6 + 0.4 * random.nextDouble();
      boolean correct = random.nextDouble() < chanceCorrect(s);
      loose.observe(s, correct);
      tight.observe(s, correct);
    }
    assertThat(tight.threshold()).isGreaterThan(loose.threshold());
  }

  @Test
  void withoutEvidenceOnlyIdenticalVectorsHit() {
    ErrorBoundedThreshold bound = new ErrorBoundedThreshold(0.02, 100, 1_000, 0.1);
    bound.observe(0.95, true);
    assertThat(bound.threshold()).isEqualTo(1.0);
  }

  @Test
  void nonsenseSettingsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> new ErrorBoundedThreshold(0, 10, 100, 0.1))
        .hasMessageContaining("maxErrorRate");
    assertThatThrownBy(() -> new ErrorBoundedThreshold(0.02, 100, 10, 0.1))
        .hasMessageContaining("minObservations <= window");
  }

  @Test
  void errorsAtTheSameScoreAsGoodObservationsCountAgainstThatScore() {
    ErrorBoundedThreshold bound = new ErrorBoundedThreshold(0.05, 30, 1_000, 1.0);
    for (int i = 0; i < 100; i++) {
      bound.observe(0.9, true);
    }
    assertThat(bound.threshold()).isEqualTo(0.9);
    for (int i = 0; i < 10; i++) {
      bound.observe(0.9, false); // 10 wrong in 110 at one score: 9 %, over the bound
    }
    assertThat(bound.threshold()).isEqualTo(1.0);
  }
}
