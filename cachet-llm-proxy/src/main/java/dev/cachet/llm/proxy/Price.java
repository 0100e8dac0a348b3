package dev.cachet.llm.proxy;

/**
 * What a model costs, in US dollars per million tokens, for the savings the proxy reports.
 *
 * @param inputPerMillion the price of a million prompt tokens
 * @param outputPerMillion the price of a million completion tokens
 */
public record Price(double inputPerMillion, double outputPerMillion) {
  /**
   * Checks the prices.
   *
   * @param inputPerMillion see the record component of that name
   * @param outputPerMillion see the record component of that name
   */
  public Price {
    if (!(inputPerMillion >= 0) || !(outputPerMillion >= 0)
        || Double.isInfinite(inputPerMillion) || Double.isInfinite(outputPerMillion)) {
      throw new IllegalArgumentException("Prices must be finite and not negative, got "
          + inputPerMillion + " / " + outputPerMillion + " per million tokens");
    }
  }

  /** The cost of a number of prompt and completion tokens. */
  double cost(long promptTokens, long completionTokens) {
    return (promptTokens * inputPerMillion + completionTokens * outputPerMillion) / 1e6;
  }
}
