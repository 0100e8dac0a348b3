package dev.cachet.llm.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the token alignment sees: an extra or swapped token that a pooled vector hides. */
class TokenAlignmentTest {
  private static final float[] LEARN = {1, 0, 0};
  private static final float[] JAVA = {0, 1, 0};
  private static final float[] DAYS = {0, 0, 1};
  private static final float[] LEARNING = Vectors.normalize(new float[] {0.9f, 0.1f, 0});

  @Test
  void identicalTokensAlignPerfectly() {
    double[] f = TokenAlignment.of(new float[][] {LEARN, JAVA}, new float[][] {JAVA, LEARN});
    assertThat(f[0]).as("f1").isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(f[2]).as("worst").isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(f[4]).as("unaligned").isZero();
  }

  @Test
  void anExtraTokenWithoutCounterpartIsTheWorstAndCountsAsUnaligned() {
    double[] f = TokenAlignment.of(new float[][] {LEARN, JAVA, DAYS},
        new float[][] {LEARN, JAVA});
    assertThat(f[2]).as("worst").isLessThan(0.1);
    assertThat(f[3]).as("second worst").isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(f[4]).as("unaligned").isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(f[1]).as("lower side").isLessThan(f[0]);
  }

  @Test
  void aNearSynonymAlignsWell() {
    double[] f = TokenAlignment.of(new float[][] {LEARNING, JAVA}, new float[][] {LEARN, JAVA});
    assertThat(f[2]).isGreaterThan(0.9);
    assertThat(f[4]).isZero();
  }

  @Test
  void unknownTokensGiveNeutralValues() {
    assertThat(TokenAlignment.of(new float[0][], new float[][] {LEARN}))
        .containsExactly(1, 1, 1, 1, 0);
  }
}
