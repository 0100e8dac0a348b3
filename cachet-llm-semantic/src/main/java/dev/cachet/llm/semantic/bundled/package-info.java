/**
 * The semantic layer's heavy half (artifact {@code cachet-llm-semantic}): the bundled local
 * embedding model ({@link dev.cachet.llm.semantic.bundled.Embedders}, ONNX Runtime through
 * LangChain4j's embeddings jar) and Lucene's HNSW graph for large partitions, both plugged into
 * {@code cachet-llm} through {@link dev.cachet.llm.semantic.bundled.BundledSemantic}, a
 * {@link dev.cachet.llm.semantic.SemanticProvider} found by {@link java.util.ServiceLoader}.
 */
package dev.cachet.llm.semantic.bundled;
