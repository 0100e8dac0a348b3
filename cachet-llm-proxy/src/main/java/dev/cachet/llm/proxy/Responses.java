package dev.cachet.llm.proxy;

import java.io.IOException;
import java.net.http.HttpTimeoutException;

/** The proxy's own answers: errors and replayed hits. */
final class Responses {
  private Responses() {
  }

  /** Sends a complete body with a fixed length. */
  static void send(HttpCall call, int status, String contentType, CacheStatus cache,
      byte[] body) throws IOException {
    call.setHeader("Content-Type", contentType);
    call.setHeader(CacheStatus.HEADER, cache.headerValue());
    call.send(status, body);
  }

  /** Sends an OpenAI-style error from the proxy itself. */
  static void error(HttpCall call, int status, String message, String type, String code)
      throws IOException {
    send(call, status, "application/json", CacheStatus.MISS,
        ErrorBodies.json(message, type, code));
  }

  /**
   * Answers 502 (or 504 on a timeout) when the upstream cannot be reached.
   *
   * @return the status sent
   */
  static int upstreamUnreachable(HttpCall call, Upstream upstream, IOException e)
      throws IOException {
    boolean timeout = e instanceof HttpTimeoutException;
    int status = timeout ? 504 : 502;
    String detail = e.getMessage() == null ? e.getClass().getSimpleName()
        : Redaction.message(e.getMessage(), upstream.base());
    error(call, status, "The caching proxy could not " + (timeout ? "get an answer from"
        : "reach") + " the upstream " + upstream.shownBase() + ": " + detail,
        ErrorBodies.UPSTREAM,
        timeout ? "upstream_timeout" : "upstream_unreachable");
    return status;
  }
}
