package dev.cachet.llm;

/**
 * Whether {@link LlmCache#put} stored an answer.
 *
 * @param stored true when the answer is now in the cache
 * @param reason why it was not stored (an incomplete, truncated or filtered answer), or null
 */
public record StoreOutcome(boolean stored, String reason) {
  static final StoreOutcome STORED = new StoreOutcome(true, null);

  static StoreOutcome refused(String reason) {
    return new StoreOutcome(false, reason);
  }
}
