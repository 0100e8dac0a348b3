package dev.cachet.llm;

/**
 * Receives a streamed answer from {@link LlmCache#stream}: first how it was found, then its
 * tokens as they arrive (from the upstream on a miss, replayed from the cache on a hit), then
 * the complete answer or an error. Exactly one of {@link #onComplete} and {@link #onError} is
 * called, last.
 */
public interface StreamHandler {

  /**
   * Called once, before the first token: whether the answer is replayed from the cache.
   *
   * @param lookup the lookup's result
   */
  default void onStart(Lookup lookup) {
  }

  /**
   * A piece of the answer's text.
   *
   * @param token the text, as the upstream sent it (or as it was stored)
   */
  void onToken(String token);

  /**
   * The answer is complete.
   *
   * @param result the whole answer, and whether it was stored
   */
  void onComplete(LlmResult result);

  /**
   * The upstream failed; nothing was stored.
   *
   * @param error the upstream's error
   */
  void onError(Throwable error);
}
