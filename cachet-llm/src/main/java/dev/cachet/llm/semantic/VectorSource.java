package dev.cachet.llm.semantic;

/**
 * Read access to a {@link VectorIndex}'s stored vectors by ordinal (the order of insertion),
 * given to a {@link VectorGraph} so that it can score candidates without copying the vectors.
 */
public interface VectorSource {

  /**
   * The number of ordinals, live or removed.
   *
   * @return the ordinals {@code 0} to {@code size() - 1} are readable
   */
  int size();

  /**
   * The length of every vector.
   *
   * @return the dimension
   */
  int dimension();

  /**
   * The vector stored at an ordinal.
   *
   * @param ordinal from 0 to {@code size() - 1}
   * @return the unit vector; never changed afterwards (do not change it either)
   */
  float[] vector(int ordinal);
}
