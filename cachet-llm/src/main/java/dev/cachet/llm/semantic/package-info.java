/**
 * The semantic layer: embedding prompts ({@link dev.cachet.llm.semantic.Embedder}, the bundled
 * ONNX model in {@link dev.cachet.llm.semantic.Embedders}), nearest-neighbour search
 * ({@link dev.cachet.llm.semantic.VectorIndex}: exact, then HNSW) and the lexical guard that
 * rejects near-matches asking something else ({@link dev.cachet.llm.semantic.SemanticGuard}).
 */
package dev.cachet.llm.semantic;
