package dev.cachet.llm;

/**
 * The real streaming call behind {@link LlmCache#stream}: sends the request and reports the
 * answer to the sink as it arrives, on any thread, possibly after returning.
 */
@FunctionalInterface
public interface StreamingUpstream {

  /**
   * Starts the call.
   *
   * @param request the request
   * @param sink where the answer goes: tokens, then {@link TokenSink#complete} or
   *     {@link TokenSink#error}
   */
  void stream(LlmRequest request, TokenSink sink);

  /** Where a streaming upstream reports its answer. Calls after the first end are ignored. */
  interface TokenSink {
    /**
     * A piece of the answer's text; passed on to the caller at once.
     *
     * @param token the text
     */
    void token(String token);

    /**
     * The answer finished. It is stored if complete and storable.
     *
     * @param response the final answer; its content may be null, in which case the tokens
     *     received are the content
     */
    void complete(LlmResponse response);

    /**
     * The call failed; nothing is stored.
     *
     * @param error what went wrong
     */
    void error(Throwable error);
  }
}
