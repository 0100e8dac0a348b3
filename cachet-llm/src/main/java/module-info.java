/**
 * Cachet's LLM cache: the request and response model, canonical keys and
 * {@link dev.cachet.llm.LlmCache} (exact and semantic answers over a Cachet's memory and tiers)
 * in {@code dev.cachet.llm}; the semantic machinery in plain Java ({@code Embedder},
 * {@code SemanticGuard}, {@code VectorIndex}) and the
 * {@link dev.cachet.llm.semantic.SemanticProvider} SPI in {@code dev.cachet.llm.semantic}.
 * The bundled embedding model and HNSW come from {@code dev.cachet.llm.semantic.bundled}
 * (cachet-llm-semantic), found through that SPI.
 */
module dev.cachet.llm {
  // LlmCache is built on a Cachet; the request model carries Jackson trees (tools, schemas).
  requires transitive dev.cachet.core;
  requires transitive com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires java.logging;

  exports dev.cachet.llm;
  exports dev.cachet.llm.semantic;

  uses dev.cachet.llm.semantic.SemanticProvider;
}
