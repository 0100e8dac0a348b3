package dev.cachet.llm.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the verifier's features see in a pair of prompts. */
class PairFeaturesTest {
  private static final SemanticGuard GUARD = new SemanticGuard();
  private static final float[][] NO_TOKENS = new float[0][];

  private static double feature(String name, String a, String b) {
    return PairFeatures.of(a, b, 0.9, GUARD.check(a, b), NO_TOKENS, NO_TOKENS)[
        PairFeatures.NAMES.indexOf(name)];
  }

  @Test
  void anExtraContentWordIsUnmatched() {
    assertThat(feature("unmatched_content_max", "How do I learn Java?",
        "How do I learn Java in 30 days?")).isGreaterThan(0.3);
    assertThat(feature("unmatched_content_max", "How do I learn Java?",
        "How can I learn Java?")).isZero();
  }

  @Test
  void inflectionsAndFunctionWordsDoNotCountAsDifferences() {
    assertThat(feature("content_jaccard", "What are the steps of learning Python?",
        "What is the step to learn Python?")).isEqualTo(1.0);
  }

  @Test
  void aNameOnlyInOnePromptIsCounted() {
    assertThat(feature("unmatched_names", "Who is the president of France?",
        "Who is the president of Germany?")).isPositive();
  }

  @Test
  void theGuardsVerdictIsOneHotByRule() {
    assertThat(feature("guard_numbers", "What is 2 plus 2?", "What is 3 plus 3?")).isEqualTo(1);
    assertThat(feature("guard_negation", "Is coffee healthy?", "Is coffee not healthy?"))
        .isEqualTo(1);
  }

  @Test
  void tokenAlignmentFeaturesFollowTheLexicalOnes() {
    float[][] tokens = {{1, 0}, {0, 1}};
    float[][] extra = {{1, 0}, {0, 1}, {-1, 0}};
    double[] same = PairFeatures.of("a b", "a b", 1, GUARD.check("a b", "a b"), tokens, tokens);
    double[] more = PairFeatures.of("a b c", "a b", 1, GUARD.check("a b c", "a b"), extra,
        tokens);
    int worst = PairFeatures.NAMES.indexOf("align_worst");
    assertThat(same[worst]).isEqualTo(1.0);
    assertThat(more[worst]).isLessThan(0.5);
  }

  @Test
  void everyFeatureHasAName() {
    assertThat(PairFeatures.of("a b", "a c", 0.5, GUARD.check("a b", "a c"), NO_TOKENS,
        NO_TOKENS))
        .hasSize(PairFeatures.NAMES.size());
  }
}
