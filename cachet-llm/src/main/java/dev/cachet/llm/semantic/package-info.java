/**
 * The semantic layer's machinery that needs no heavy library: the
 * {@link dev.cachet.llm.semantic.Embedder} interface, nearest-neighbour search
 * ({@link dev.cachet.llm.semantic.VectorIndex}: exact in plain Java, then an approximate graph
 * when one is installed) and the lexical guard that rejects near-matches asking something else
 * ({@link dev.cachet.llm.semantic.SemanticGuard}). The bundled ONNX embedding model and Lucene's
 * HNSW graph are in the artifact {@code cachet-llm-semantic}, plugged in through
 * {@link dev.cachet.llm.semantic.SemanticProvider}.
 */
package dev.cachet.llm.semantic;
