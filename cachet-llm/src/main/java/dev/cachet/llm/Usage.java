package dev.cachet.llm;

/**
 * Token counts of one answer, as the provider reported them. A replayed answer reports the
 * counts of the call that produced it (the tokens a hit saved).
 *
 * @param promptTokens tokens of the request
 * @param completionTokens tokens of the answer
 * @param totalTokens both together
 */
public record Usage(int promptTokens, int completionTokens, int totalTokens) {
  /**
   * Counts with the total computed.
   *
   * @param promptTokens tokens of the request
   * @param completionTokens tokens of the answer
   * @return the usage
   */
  public static Usage of(int promptTokens, int completionTokens) {
    return new Usage(promptTokens, completionTokens, promptTokens + completionTokens);
  }
}
