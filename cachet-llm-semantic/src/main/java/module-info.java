/**
 * The bundled semantic layer of Cachet's LLM cache:
 * {@link dev.cachet.llm.semantic.bundled.BundledSemantic}, the
 * {@link dev.cachet.llm.semantic.SemanticProvider} behind {@code LlmCache.Builder.semantic()},
 * with the local all-MiniLM-L6-v2 model ({@link dev.cachet.llm.semantic.bundled.Embedders}) and
 * Lucene's HNSW graph for large partitions.
 */
// LangChain4j's jars have no module name of their own: they are automatic modules named after
// their artifacts. Embedders.of takes LangChain4j's EmbeddingModel, hence the transitive one.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cachet.llm.semantic.bundled {
  requires transitive dev.cachet.llm;
  requires transitive langchain4j.core;
  requires langchain4j.embeddings;
  requires langchain4j.embeddings.all.minilm.l6.v2.q;
  requires com.microsoft.onnxruntime;
  requires ai.djl.tokenizers;
  requires org.apache.lucene.core;

  exports dev.cachet.llm.semantic.bundled;

  provides dev.cachet.llm.semantic.SemanticProvider
      with dev.cachet.llm.semantic.bundled.BundledSemantic;
}
