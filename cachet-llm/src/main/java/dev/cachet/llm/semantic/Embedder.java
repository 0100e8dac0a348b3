package dev.cachet.llm.semantic;

/**
 * Turns a prompt into a vector for the semantic cache. Implementations are thread-safe and
 * deterministic: the same text always gives the same vector, in every process (semantic entries
 * are shared through the tiers with their vectors).
 */
public interface Embedder {

  /**
   * A stable name of the model and its version, such as {@code bge-small-en-v1.5-q}. Part of
   * every semantic partition: vectors of different models are never compared.
   *
   * @return the id
   */
  String id();

  /**
   * The length of the vectors.
   *
   * @return the dimension, such as 384
   */
  int dimension();

  /**
   * Embeds a text.
   *
   * @param text the prompt
   * @return a vector of {@link #dimension()} floats with norm 1 (so that a dot product is the
   *     cosine similarity)
   */
  float[] embed(String text);

  /**
   * The contextual vectors of the text's tokens, for the {@link Verifier}'s
   * {@link TokenAlignment}. Only candidates that reach verification pay for them.
   *
   * @param text the prompt
   * @return one unit-length vector per token, special tokens left out, or null when this
   *     embedder has none (the default), in which case no verifier is used with it
   */
  default float[][] tokenVectors(String text) {
    return null;
  }
}
