package dev.cachet.llm.proxy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The proxy's own error answers, in the shape OpenAI uses ({@code {"error":{"message":...,
 * "type":...,"param":null,"code":...}}}), so every OpenAI client library raises its usual
 * exception with the message instead of failing to parse the body.
 */
final class ErrorBodies {
  /** The type OpenAI gives to requests that are wrong as sent. */
  static final String INVALID_REQUEST = "invalid_request_error";
  /** The type of answers about an upstream the proxy could not reach or read. */
  static final String UPSTREAM = "upstream_error";

  private ErrorBodies() {
  }

  static byte[] json(String message, String type, String code) {
    ObjectNode error = JsonNodeFactory.instance.objectNode();
    ObjectNode inner = error.putObject("error");
    inner.put("message", message);
    inner.put("type", type);
    inner.putNull("param");
    if (code == null) {
      inner.putNull("code");
    } else {
      inner.put("code", code);
    }
    return error.toString().getBytes(StandardCharsets.UTF_8);
  }
}
