package dev.cachet.llm;

import java.util.Locale;

/**
 * Why the model stopped. Only complete answers ({@link #STOP}, {@link #TOOL_CALLS}) are stored
 * by default; {@link #LENGTH} (cut at max tokens) only with
 * {@link LlmCache.Builder#storeTruncated(boolean)}.
 */
public enum FinishReason {
  /** A natural end or a stop sequence. */
  STOP("stop"),
  /** The answer was cut at the token limit. */
  LENGTH("length"),
  /** The model asks for tool calls. */
  TOOL_CALLS("tool_calls"),
  /** The provider withheld (part of) the answer. */
  CONTENT_FILTER("content_filter"),
  /** The provider reported an error in the answer. */
  ERROR("error"),
  /** Anything else the provider said. */
  OTHER("other");

  private final String wireName;

  FinishReason(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The OpenAI wire name.
   *
   * @return for example {@code stop} or {@code tool_calls}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * Reads a wire name; unknown names become {@link #OTHER}, never an error, because a new
   * finish reason from a provider must not break answering (it only prevents storing).
   *
   * @param name the provider's finish reason, possibly null
   * @return the reason, or null when {@code name} is null (the answer did not finish)
   */
  public static FinishReason fromWireName(String name) {
    if (name == null) {
      return null;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals("function_call")) {
      return TOOL_CALLS; // OpenAI's legacy name
    }
    for (FinishReason reason : values()) {
      if (reason.wireName.equals(lower)) {
        return reason;
      }
    }
    return OTHER;
  }
}
