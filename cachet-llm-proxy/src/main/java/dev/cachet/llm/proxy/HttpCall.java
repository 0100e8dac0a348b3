package dev.cachet.llm.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request to the proxy and its response, over Jetty's core API. The handlers speak only
 * to this class, so the HTTP server is one file's concern. All methods block the calling
 * thread (a Jetty pool thread), which the handlers are written for.
 */
final class HttpCall {
  private final Request request;
  private final Response response;
  private final Callback callback;
  private final long clientIdleMillis;
  private final long upstreamWaitMillis;
  private boolean done;
  private boolean waitingForUpstream;

  /**
   * @param clientIdleMillis the connection's idle timeout while the client sends or reads
   * @param upstreamWaitMillis the connection's idle timeout while the proxy waits for the
   *     upstream (nothing moves on the client's connection then, and that is no fault of the
   *     client's)
   */
  HttpCall(Request request, Response response, Callback callback, long clientIdleMillis,
      long upstreamWaitMillis) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.clientIdleMillis = clientIdleMillis;
    this.upstreamWaitMillis = upstreamWaitMillis;
  }

  /**
   * The request has been read and the proxy now waits for the upstream: the client's
   * connection gets the long idle timeout until the answer starts, so a slow model does not
   * look like an idle client (and the connection is not closed under it).
   */
  void awaitingUpstream() {
    waitingForUpstream = true;
    request.getConnectionMetaData().getConnection().getEndPoint()
        .setIdleTimeout(upstreamWaitMillis);
  }

  /** After a write: a client that stops reading the answer gets the short timeout again. */
  private void responding() {
    if (waitingForUpstream) {
      waitingForUpstream = false;
      // Set after the write, which marked the connection active: setting a shorter timeout
      // on a connection idle for longer would expire it at once.
      request.getConnectionMetaData().getConnection().getEndPoint()
          .setIdleTimeout(clientIdleMillis);
    }
  }

  String method() {
    return request.getMethod();
  }

  /** The path, without the query. */
  String path() {
    return request.getHttpURI().getPath();
  }

  /** The raw path and query as the client sent them. */
  String rawPathAndQuery() {
    String query = request.getHttpURI().getQuery();
    return request.getHttpURI().getPath() + (query == null ? "" : "?" + query);
  }

  /** The first value of a request header (case-insensitive), or null. */
  String header(String name) {
    return request.getHeaders().get(name);
  }

  /** Every value of a request header (case-insensitive), in order; empty when absent. */
  List<String> headerValues(String name) {
    return request.getHeaders().getValuesList(name);
  }

  /** The raw query string as the client sent it, without {@code ?}; null when none. */
  String rawQuery() {
    return request.getHttpURI().getQuery();
  }

  /** The request headers by name, in order, each name with all its values. */
  Map<String, List<String>> headers() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpField field : request.getHeaders()) {
      headers.computeIfAbsent(field.getName(), n -> new ArrayList<>()).add(field.getValue());
    }
    return headers;
  }

  /** Whether the request announces a body. */
  boolean hasBody() {
    long length = request.getLength();
    return length > 0 || (length < 0 && request.getHeaders().contains("Transfer-Encoding"));
  }

  InputStream body() {
    return Content.Source.asInputStream(request);
  }

  void status(int status) {
    response.setStatus(status);
  }

  void setHeader(String name, String value) {
    response.getHeaders().put(name, value);
  }

  void addHeader(String name, String value) {
    response.getHeaders().add(name, value);
  }

  /** Sends a whole body with its length; completes the call. */
  void send(int status, byte[] body) throws IOException {
    response.setStatus(status);
    response.getHeaders().put("Content-Length", String.valueOf(body.length));
    Content.Sink.write(response, true, ByteBuffer.wrap(body));
    responding();
    succeed();
  }

  /**
   * Writes part of a body of unknown length (sent chunked), at once: the bytes leave the
   * proxy before this returns, so a streamed answer is never held back.
   */
  void write(byte[] bytes, int offset, int length) throws IOException {
    Content.Sink.write(response, false, ByteBuffer.wrap(bytes, offset, length));
    responding();
  }

  /** Writes a whole array as part of a body of unknown length (see the method above). */
  void write(byte[] bytes) throws IOException {
    write(bytes, 0, bytes.length);
  }

  /** Ends the body normally; completes the call. */
  void finish() throws IOException {
    Content.Sink.write(response, true, ByteBuffer.allocate(0));
    responding();
    succeed();
  }

  /**
   * Fails the call: when the response has started, the connection is dropped without the end
   * of the chunked body, so the client knows the answer is incomplete.
   */
  void abort(Throwable why) {
    if (!done) {
      done = true;
      callback.failed(why);
    }
  }

  /** Whether the status and headers have been sent (so an error can no longer replace them). */
  boolean isCommitted() {
    return response.isCommitted();
  }

  boolean isDone() {
    return done;
  }

  private void succeed() {
    if (!done) {
      done = true;
      callback.succeeded();
    }
  }
}
