package dev.cachet.llm.semantic;

/**
 * Arithmetic on the unit vectors the semantic layer compares, in plain Java so that exact
 * search needs no vector library.
 */
public final class Vectors {
  private Vectors() {
  }

  /**
   * Scales a vector to norm 1.
   *
   * @param v a vector; changed in place
   * @return {@code v}
   * @throws IllegalArgumentException when the vector is all zeros or not finite
   */
  public static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (!(sum > 0) || Double.isInfinite(sum)) {
      throw new IllegalArgumentException("Cannot normalize a zero or non-finite vector");
    }
    float scale = (float) (1 / Math.sqrt(sum));
    for (int i = 0; i < v.length; i++) {
      v[i] *= scale;
    }
    return v;
  }

  /**
   * The dot product of two vectors of the same length: their cosine similarity when both have
   * norm 1.
   *
   * @param a a vector
   * @param b a vector as long as {@code a}
   * @return the sum of the products of their components
   * @throws IllegalArgumentException when the lengths differ
   */
  public static float dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("Vectors of " + a.length + " and " + b.length
          + " dimensions");
    }
    // Four independent sums: the JIT keeps them in registers and overlaps the multiplies,
    // about twice as fast as one running sum on 384 dimensions, which is what exact search
    // spends its time on.
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    int end = a.length & ~3;
    for (; i < end; i += 4) {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
    for (; i < a.length; i++) {
      s0 += a[i] * b[i];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
