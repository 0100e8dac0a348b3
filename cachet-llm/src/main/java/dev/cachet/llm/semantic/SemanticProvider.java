package dev.cachet.llm.semantic;

/**
 * The service provider interface through which an optional module supplies what has a heavy
 * dependency: the bundled embedding model (ONNX Runtime) and the approximate graph of large
 * partitions (Lucene's HNSW). Found with {@link java.util.ServiceLoader}; the artifact
 * {@code dev.cachet:cachet-llm-semantic} provides one, so that cachet-llm alone caches exactly
 * (and semantically with an {@link Embedder} of the caller's) without those libraries.
 *
 * <p>Implementations have a public no-argument constructor, are thread-safe and cheap to
 * construct: loading a model belongs in {@link #embedder()}.
 */
public interface SemanticProvider {

  /**
   * The embedder {@code LlmCache.Builder.semantic()} uses when given none.
   *
   * @return the embedder, shared by every caller in the JVM (it may load a model on the first
   *     call)
   */
  Embedder embedder();

  /**
   * Builds an approximate nearest-neighbour graph over the ordinals {@code 0} to
   * {@code count - 1} of a source. Called off the index's lock (possibly for seconds, in the
   * common pool), with a source that does not change.
   *
   * @param vectors the vectors by ordinal
   * @param count how many ordinals to add
   * @return the graph
   */
  VectorGraph buildGraph(VectorSource vectors, int count);
}
