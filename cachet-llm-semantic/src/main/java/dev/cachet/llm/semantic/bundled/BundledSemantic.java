package dev.cachet.llm.semantic.bundled;

import dev.cachet.llm.semantic.Embedder;
import dev.cachet.llm.semantic.SemanticProvider;
import dev.cachet.llm.semantic.VectorGraph;
import dev.cachet.llm.semantic.VectorSource;

/**
 * The {@link SemanticProvider} of this module, registered in
 * {@code META-INF/services/dev.cachet.llm.semantic.SemanticProvider}: the bundled
 * all-MiniLM-L6-v2 model and Lucene's HNSW graph. Users do not call it: having this module on
 * the class path is what makes {@code LlmCache.Builder.semantic()} work.
 */
public final class BundledSemantic implements SemanticProvider {

  /** Creates the provider; loads nothing (the model loads on the first {@link #embedder()}). */
  public BundledSemantic() {
  }

  /**
   * The bundled model.
   *
   * @return {@link Embedders#allMiniLmL6V2()}
   */
  @Override
  public Embedder embedder() {
    return Embedders.allMiniLmL6V2();
  }

  /**
   * Builds Lucene's HNSW graph over the vectors.
   *
   * @param vectors the vectors by ordinal
   * @param count how many ordinals to add
   * @return the graph
   */
  @Override
  public VectorGraph buildGraph(VectorSource vectors, int count) {
    return HnswGraph.build(vectors, count);
  }
}
