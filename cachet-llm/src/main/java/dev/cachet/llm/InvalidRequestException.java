package dev.cachet.llm;

import java.util.Objects;

/**
 * A request (or response) the LLM cache refuses: it cannot be read, or caching it could be
 * wrong. Nothing is looked up or stored for it. A proxy answers {@link Reason#UNSUPPORTED}
 * by forwarding the request uncached, and the other reasons with HTTP 400.
 */
public class InvalidRequestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why a request was refused. */
  public enum Reason {
    /** The body is not JSON, or not a JSON object where one is required. */
    MALFORMED_JSON,
    /** A message has a role other than system, developer, user, assistant or tool. */
    UNKNOWN_ROLE,
    /** There are no messages, or a message has no content (and no tool calls). */
    EMPTY_MESSAGES,
    /** The prompt is larger than the cache's {@code maxPromptChars}. */
    TOO_LARGE,
    /** A required field (model, a tool call's name, a tool message's id) is missing. */
    MISSING_FIELD,
    /** A field has a value of the wrong type or out of range. */
    INVALID_FIELD,
    /** A valid request the cache cannot represent faithfully (n &gt; 1, logprobs, images). */
    UNSUPPORTED
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason the category, for programs
   * @param message what was wrong and where, for people
   */
  public InvalidRequestException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Creates the exception with a cause (such as Jackson's parse error).
   *
   * @param reason the category, for programs
   * @param message what was wrong and where, for people
   * @param cause the underlying error
   */
  public InvalidRequestException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * The category of the problem.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
