package dev.cachet.llm.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The server the proxy stands in front of, and the plumbing both handlers share. */
final class Upstream {
  /** Response headers the proxy's own HTTP server sets itself. */
  private static final Set<String> SET_BY_SERVER = Set.of("date", "content-length",
      "transfer-encoding", "connection", "keep-alive");

  private final URI base;
  private final String basePath;
  private final HttpClient client;
  private final Duration timeout;
  private final Duration idleTimeout;
  private final Duration streamTimeout;

  /**
   * @param timeout the longest wait for response headers, and for the whole of an answer
   *     that is not streamed
   * @param idleTimeout the longest wait for the next bytes of any upstream body
   * @param streamTimeout the longest a stream or a pass-through body may last in all
   */
  Upstream(URI base, Duration connectTimeout, Duration timeout, Duration idleTimeout,
      Duration streamTimeout) {
    this.base = base;
    this.idleTimeout = idleTimeout;
    this.streamTimeout = streamTimeout;
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        // Plain-text upstreams get HTTP/1.1 directly: an h2c upgrade attempt on every new
        // connection costs a round trip and some servers mishandle it. TLS negotiates HTTP/2.
        .version("https".equalsIgnoreCase(base.getScheme()) ? HttpClient.Version.HTTP_2
            : HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  URI base() {
    return base;
  }

  /** The upstream's address as it may be shown: without any {@code user:password@}. */
  String shownBase() {
    return Redaction.uri(base);
  }

  /**
   * The upstream address of a request path: the upstream URL's path, then the request's path and
   * query. An upstream given as {@code https://host/v1} (the base URL clients are configured
   * with) does not double the {@code /v1} of {@code /v1/chat/completions}.
   */
  URI target(String path, String query) {
    String prefix = basePath;
    if (prefix.endsWith("/v1") && (path.equals("/v1") || path.startsWith("/v1/"))) {
      prefix = prefix.substring(0, prefix.length() - 3);
    }
    return URI.create(base.getScheme() + "://" + base.getRawAuthority() + prefix + path
        + (query == null ? "" : "?" + query));
  }

  /**
   * A request to the upstream with the client's method, headers and the given body.
   *
   * @param identityEncoding whether to ask for an uncompressed answer (the chat handler reads
   *     the answer to store it; pass-through forwards the client's wish unchanged)
   */
  HttpRequest.Builder request(HttpCall call, HttpRequest.BodyPublisher body,
      boolean identityEncoding, boolean stream) {
    String pathAndQuery = call.rawPathAndQuery();
    int q = pathAndQuery.indexOf('?');
    HttpRequest.Builder b = HttpRequest.newBuilder(q < 0 ? target(pathAndQuery, null)
            : target(pathAndQuery.substring(0, q), pathAndQuery.substring(q + 1)))
        .method(call.method(), body)
        // The wait for response headers; bodies are watched by WatchedBody.
        .timeout(timeout);
    List<String> connection = call.headerValues("Connection");
    for (Map.Entry<String, List<String>> header : call.headers().entrySet()) {
      String name = header.getKey();
      if (!Headers.forwarded(name, connection)
          || (identityEncoding && name.equalsIgnoreCase("accept-encoding"))) {
        continue;
      }
      for (String value : header.getValue()) {
        b.header(name, value);
      }
    }
    return b;
  }

  /**
   * Sends a request; the answer's body fails with an {@link java.net.http.HttpTimeoutException}
   * when the upstream stalls longer than the idle timeout, or when it takes longer in all than
   * the upstream timeout (a whole answer) or the stream timeout (a stream or a pass-through).
   *
   * @param whole true for an answer read whole, false for a stream or a pass-through, which
   *     may legitimately run much longer than a whole answer takes to arrive
   */
  HttpResponse<InputStream> open(HttpRequest request, boolean whole)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    HttpResponse<InputStream> response = client.send(request,
        HttpResponse.BodyHandlers.ofInputStream());
    Duration limit = whole ? timeout : streamTimeout;
    Duration left = limit.minusNanos(System.nanoTime() - start);
    if (left.isNegative()) {
      left = Duration.ZERO;
    }
    InputStream body = new WatchedBody(response.body(), idleTimeout, left,
        "the upstream's answer", whole ? "upstream timeout" : "stream timeout");
    return new WatchedResponse(response, body);
  }

  /**
   * Reads at most {@code limit + 1} bytes: a result longer than {@code limit} means the body
   * is larger, and the rest is still in {@code in}.
   */
  static byte[] readAtMost(InputStream in, int limit) throws IOException {
    return in.readNBytes(limit + 1);
  }

  /** Copies the upstream's response headers (but not hop-by-hop ones) and sets X-Cache. */
  static void copyResponseHeaders(HttpHeaders from, HttpCall to, CacheStatus status) {
    List<String> connection = from.allValues("connection");
    for (Map.Entry<String, List<String>> header : from.map().entrySet()) {
      String name = header.getKey();
      if (name.startsWith(":") || !Headers.forwarded(name, connection)
          || SET_BY_SERVER.contains(name.toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String value : header.getValue()) {
        to.addHeader(name, value);
      }
    }
    to.setHeader(CacheStatus.HEADER, status.headerValue());
  }

  /** Whether a response to this request and status can carry a body. */
  static boolean hasBody(String method, int status) {
    return !method.equalsIgnoreCase("HEAD") && status != 204 && status != 304
        && status >= 200;
  }
}
