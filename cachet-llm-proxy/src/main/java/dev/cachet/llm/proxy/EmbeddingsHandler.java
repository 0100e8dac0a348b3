package dev.cachet.llm.proxy;

import dev.cachet.Cache;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code POST /v1/embeddings}, cached exactly: an embedding is a pure function of the request
 * (model, input, dimensions, encoding), so the same request bytes from the same partition are
 * answered with the stored answer. Keys are the SHA-256 of the tenant and the body bytes; a
 * successful JSON answer within the response limit is stored as sent.
 */
final class EmbeddingsHandler {
  /** The path whose answers this handler caches. */
  static final String PATH = "/v1/embeddings";

  private final Upstream upstream;
  private final Cache<String, String> answers;
  private final Tenants tenants;
  private final int maxRequestBytes;
  private final int maxResponseBytes;
  private final Consumer<ProxyEvent> listener;

  /**
   * @param answers where answers are kept (a cache of the proxy's Cachet, so in its tiers)
   */
  EmbeddingsHandler(Upstream upstream, Cache<String, String> answers, Tenants tenants,
      int maxRequestBytes, int maxResponseBytes, Consumer<ProxyEvent> listener) {
    this.upstream = upstream;
    this.answers = answers;
    this.tenants = tenants;
    this.maxRequestBytes = maxRequestBytes;
    this.maxResponseBytes = maxResponseBytes;
    this.listener = listener;
  }

  void handle(HttpCall call, RequestBody.Result read) throws IOException {
    long start = System.nanoTime();
    if (read.failure() != null) {
      if (read.failure() instanceof TimeoutException) {
        Responses.error(call, 408, "The request body did not arrive within the proxy's client"
            + " idle timeout: send the body without pauses", ErrorBodies.INVALID_REQUEST,
            "request_timeout");
        event(call, CacheStatus.MISS, 408, start, "request body timed out");
      } else {
        call.abort(read.failure());
      }
      return;
    }
    if (read.tooLarge()) {
      Responses.error(call, 413, "The request body is larger than the proxy's limit of "
          + maxRequestBytes + " bytes (set with maxRequestBytes / --max-request-bytes)",
          ErrorBodies.INVALID_REQUEST, "request_too_large");
      event(call, CacheStatus.MISS, 413, start, "request too large");
      return;
    }
    byte[] body = read.bytes();
    CacheControls controls = CacheControls.of(call::headerValues);
    String key = Tenants.sha256(tenants.tenantOf(call::headerValues, call.rawQuery()) + "\n"
        + new String(body, StandardCharsets.ISO_8859_1));
    if (controls.read()) {
      String stored = answers.getIfPresent(key);
      if (stored != null) {
        Responses.send(call, 200, "application/json", CacheStatus.HIT,
            stored.getBytes(StandardCharsets.UTF_8));
        event(call, CacheStatus.HIT, 200, start, "");
        return;
      }
    }
    HttpResponse<InputStream> response;
    byte[] answer;
    try {
      response = upstream.open(upstream.request(call, HttpRequest.BodyPublishers.ofByteArray(
          body), true, false).build(), true);
      try (InputStream in = response.body()) {
        answer = Upstream.readAtMost(in, maxResponseBytes);
        if (answer.length > maxResponseBytes) {
          Upstream.copyResponseHeaders(response.headers(), call, CacheStatus.BYPASS);
          call.setHeader(CacheStatus.REASON_HEADER, "response-too-large");
          call.status(response.statusCode());
          call.write(answer);
          in.transferTo(new CallOutput(call));
          call.finish();
          event(call, CacheStatus.BYPASS, response.statusCode(), start,
              "the answer is larger than the proxy buffers, not stored");
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the upstream", e);
    } catch (IOException e) {
      if (call.isCommitted()) {
        call.abort(e);
        return;
      }
      int code = Responses.upstreamUnreachable(call, upstream, e);
      event(call, CacheStatus.MISS, code, start, "upstream unreachable");
      return;
    }
    int status = response.statusCode();
    String type = response.headers().firstValue("content-type").orElse("")
        .toLowerCase(Locale.ROOT);
    String note;
    if (status / 100 != 2 || !type.startsWith("application/json")) {
      note = "upstream " + status + " " + type + ", not stored";
    } else if (!controls.write()) {
      note = "not stored: no-store";
    } else {
      answers.put(key, new String(answer, StandardCharsets.UTF_8));
      note = "";
    }
    Upstream.copyResponseHeaders(response.headers(), call, CacheStatus.MISS);
    call.send(status, answer);
    event(call, CacheStatus.MISS, status, start, note);
  }

  private void event(HttpCall call, CacheStatus status, int code, long start, String note) {
    listener.accept(new ProxyEvent(call.method(), call.path(), status, code, false, Double.NaN,
        System.nanoTime() - start, note));
  }

  /** The rest of an oversized answer, copied to the client as it is read. */
  private static final class CallOutput extends java.io.OutputStream {
    private final HttpCall call;

    CallOutput(HttpCall call) {
      this.call = call;
    }

    @Override
    public void write(int b) throws IOException {
      call.write(new byte[] {(byte) b});
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      call.write(b, off, len);
    }
  }
}
