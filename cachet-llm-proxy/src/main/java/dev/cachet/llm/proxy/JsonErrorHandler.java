package dev.cachet.llm.proxy;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself (a malformed request line, {@code OPTIONS *}, a header too
 * large, a failure escaping the proxy's handler) in the proxy's OpenAI-style JSON instead of
 * Jetty's HTML page, so every client library can read every error, and without a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {
  JsonErrorHandler() {
    setShowStacks(false);
    setShowCauses(false);
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message,
      Throwable cause, Callback callback) {
    String reason = HttpStatus.getMessage(code);
    String text = "The caching proxy could not handle the request: " + code + " " + reason
        + (message == null || message.isBlank() || message.equals(reason) ? ""
        : " (" + message + ")");
    byte[] body = ErrorBodies.json(text, code >= 500 ? "server_error"
        : ErrorBodies.INVALID_REQUEST, null);
    response.getHeaders().put("Content-Type", "application/json");
    response.getHeaders().put(CacheStatus.HEADER, CacheStatus.MISS.headerValue());
    response.getHeaders().put("Content-Length", String.valueOf(body.length));
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
