package dev.cachet.llm.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Consumer;

/**
 * Forwards a request the cache does not handle (another path, another method, a request the
 * cache cannot represent) to the upstream and its answer back, verbatim and uncached.
 */
final class PassThrough {
  private final Upstream upstream;
  private final Consumer<ProxyEvent> listener;

  PassThrough(Upstream upstream, Consumer<ProxyEvent> listener) {
    this.upstream = upstream;
    this.listener = listener;
  }

  /** Forwards the client's own body, streamed. */
  void handle(HttpCall call) throws IOException {
    long start = System.nanoTime();
    HttpRequest.BodyPublisher body = call.hasBody()
        ? HttpRequest.BodyPublishers.ofInputStream(call::body)
        : HttpRequest.BodyPublishers.noBody();
    forward(call, body, start, "pass-through");
  }

  /** Forwards a body the proxy has already read. */
  void forward(HttpCall call, byte[] body, long start, String note) throws IOException {
    forward(call, HttpRequest.BodyPublishers.ofByteArray(body), start, note, CacheStatus.MISS,
        null);
  }

  /**
   * Forwards a chat request the cache deliberately does not handle, saying so to the client:
   * {@code X-Cache: BYPASS} and the reason in {@code X-Cache-Reason}.
   *
   * @param reason a short token for the header, such as {@code prompt-too-large}
   * @param note the longer explanation for the proxy's event
   */
  void forwardBypassing(HttpCall call, byte[] body, long start, String reason, String note)
      throws IOException {
    forward(call, HttpRequest.BodyPublishers.ofByteArray(body), start, note,
        CacheStatus.BYPASS, reason);
  }

  private void forward(HttpCall call, HttpRequest.BodyPublisher body, long start, String note)
      throws IOException {
    forward(call, body, start, note, CacheStatus.MISS, null);
  }

  private void forward(HttpCall call, HttpRequest.BodyPublisher body, long start, String note,
      CacheStatus cacheStatus, String reason) throws IOException {
    HttpResponse<InputStream> response;
    try {
      response = upstream.open(upstream.request(call, body, false, true).build(), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the upstream", e);
    } catch (IOException e) {
      int code = Responses.upstreamUnreachable(call, upstream, e);
      listener.accept(new ProxyEvent(call.method(), call.path(), CacheStatus.MISS, code, false,
          Double.NaN, System.nanoTime() - start, "upstream unreachable"));
      return;
    }
    int status = response.statusCode();
    Upstream.copyResponseHeaders(response.headers(), call, cacheStatus);
    if (reason != null) {
      call.setHeader(CacheStatus.REASON_HEADER, reason);
    }
    call.status(status);
    response.headers().firstValue("content-length")
        .ifPresent(length -> call.setHeader("Content-Length", length));
    try (InputStream in = response.body()) {
      if (Upstream.hasBody(call.method(), status)) {
        byte[] buffer = new byte[8192];
        int n;
        while (true) {
          try {
            n = in.read(buffer);
          } catch (IOException e) {
            // The upstream stalled or broke off: drop the client's connection so it sees an
            // incomplete answer, not a short one.
            report(call, cacheStatus, status, start, note + "; cut off: " + e.getMessage());
            call.abort(e);
            return;
          }
          if (n == -1) {
            break;
          }
          call.write(buffer, 0, n); // a client that left ends the copy (and the upstream call)
        }
      }
    }
    call.finish();
    report(call, cacheStatus, status, start, note);
  }

  private void report(HttpCall call, CacheStatus cacheStatus, int status, long start,
      String note) {
    listener.accept(new ProxyEvent(call.method(), call.path(), cacheStatus, status, false,
        Double.NaN, System.nanoTime() - start, note));
  }
}
