package dev.cachet.llm.semantic;

import java.util.function.IntPredicate;

/**
 * An approximate nearest-neighbour graph (such as HNSW) over the ordinals of a
 * {@link VectorIndex}, made by a {@link SemanticProvider}. The index decides when to use it and
 * keeps every vector itself; the graph only finds candidates, which the index scores exactly.
 *
 * <p>The index calls it under its own lock: {@link #add} and {@link #continueOn} under the write
 * lock, {@link #search} under the read lock (concurrently with other searches, so a search must
 * not change the graph).
 */
public interface VectorGraph {

  /**
   * The same graph, reading vectors (for later additions and searches) through another source
   * with the same ordinals. The index builds a graph over a fixed snapshot outside its lock,
   * then continues it over its live storage.
   *
   * @param live the vectors by ordinal from now on
   * @return a graph that continues this one; this one is not used afterwards
   */
  VectorGraph continueOn(VectorSource live);

  /**
   * Adds the next ordinal: ordinals are added once each, in increasing order without gaps.
   *
   * @param ordinal the ordinal, readable from the source
   */
  void add(int ordinal);

  /**
   * The ordinals nearest to a query, most similar first, approximately.
   *
   * @param unitQuery a vector of norm 1
   * @param k how many at least the caller wants (the graph may explore more candidates)
   * @param accept which ordinals may be returned (the live ones)
   * @return accepted ordinals, best first; may hold more or fewer than {@code k}
   */
  int[] search(float[] unitQuery, int k, IntPredicate accept);
}
