package dev.cachet.llm.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachet.llm.FinishReason;
import dev.cachet.llm.LlmResponse;
import dev.cachet.llm.ToolCall;
import dev.cachet.llm.Usage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Rebuilds the complete answer from the bytes of an OpenAI chat-completions event stream while
 * they are passed on to the client, so the answer can be stored once the stream has ended
 * properly. It reads the bytes exactly as they arrive (events may be split anywhere, even
 * inside a UTF-8 character) and never delays them.
 *
 * <p>An answer is {@linkplain #complete() complete} only when the stream carried
 * {@code data: [DONE]}, a finish reason, and no error event; anything else (a stream cut
 * short, an in-stream error, a body too large to keep) yields nothing to store.
 */
final class StreamAssembler {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final long maxChars;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private final StringBuilder data = new StringBuilder();
  private final StringBuilder content = new StringBuilder();
  /** The content pieces as the upstream sent them, so a replay streams the same way. */
  private final List<String> pieces = new ArrayList<>();
  private final TreeMap<Integer, PartialCall> calls = new TreeMap<>();
  private String id;
  private String model;
  private FinishReason finishReason;
  private Usage usage;
  private boolean sawContent;
  private boolean done;
  private String failure;

  /**
   * @param maxChars the largest answer kept; past it the stream still passes through but is
   *     not stored
   */
  StreamAssembler(long maxChars) {
    this.maxChars = maxChars;
  }

  /** Takes the next bytes of the stream, exactly as received. */
  void feed(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        endOfLine();
      } else {
        line.write(b);
      }
    }
  }

  private void endOfLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.isEmpty()) {
      dispatch();
    } else if (text.startsWith("data:")) {
      String value = text.substring(5);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      if (data.length() > 0) {
        data.append('\n');
      }
      data.append(value);
    } else if (text.startsWith("event:") && text.substring(6).strip().equals("error")) {
      fail("the stream carried an error event");
    }
    // Comments (": keep-alive"), ids and retry fields do not change the answer.
  }

  /** Called at the end of the stream, in case the last event had no blank line after it. */
  void finish() {
    if (line.size() > 0) {
      endOfLine();
    }
    dispatch();
  }

  private void dispatch() {
    if (data.length() == 0) {
      return;
    }
    String payload = data.toString();
    data.setLength(0);
    if (failure != null) {
      return;
    }
    if (payload.equals("[DONE]")) {
      done = true;
      return;
    }
    if (done) {
      fail("data after [DONE]");
      return;
    }
    JsonNode chunk;
    try {
      chunk = MAPPER.readTree(payload);
    } catch (JsonProcessingException e) {
      fail("a stream event is not JSON: " + e.getOriginalMessage());
      return;
    }
    if (chunk == null || !chunk.isObject() || chunk.has("error")) {
      fail("the stream carried an error");
      return;
    }
    if (id == null && chunk.hasNonNull("id")) {
      id = chunk.get("id").asText();
    }
    if (model == null && chunk.hasNonNull("model")) {
      model = chunk.get("model").asText();
    }
    JsonNode u = chunk.get("usage");
    if (u != null && u.isObject()) {
      usage = new Usage(u.path("prompt_tokens").asInt(), u.path("completion_tokens").asInt(),
          u.path("total_tokens").asInt());
    }
    JsonNode choices = chunk.path("choices");
    if (choices.size() > 1 || choices.path(0).path("index").asInt(0) != 0) {
      fail("the stream has several choices; only one answer per request is cached");
      return;
    }
    JsonNode choice = choices.path(0);
    if (!choice.isObject()) {
      return; // the usage chunk of stream_options.include_usage has no choice
    }
    JsonNode delta = choice.path("delta");
    JsonNode text = delta.get("content");
    if (text != null && text.isTextual()) {
      content.append(text.asText());
      if (!text.asText().isEmpty()) {
        pieces.add(text.asText());
      }
      sawContent = true;
    }
    for (JsonNode call : delta.path("tool_calls")) {
      PartialCall partial = calls.computeIfAbsent(call.path("index").asInt(0),
          i -> new PartialCall());
      if (call.hasNonNull("id")) {
        partial.id = call.get("id").asText();
      }
      JsonNode function = call.path("function");
      if (function.hasNonNull("name")) {
        partial.name.append(function.get("name").asText());
      }
      if (function.hasNonNull("arguments")) {
        partial.arguments.append(function.get("arguments").asText());
      }
    }
    if (choice.hasNonNull("finish_reason")) {
      finishReason = FinishReason.fromWireName(choice.get("finish_reason").asText());
    }
    if (size() > maxChars) {
      fail("the answer is larger than " + maxChars + " characters");
    }
  }

  private long size() {
    long n = content.length();
    for (PartialCall call : calls.values()) {
      n += call.name.length() + call.arguments.length();
    }
    return n;
  }

  private void fail(String why) {
    if (failure == null) {
      failure = why;
    }
    content.setLength(0);
    pieces.clear();
    calls.clear();
  }

  /**
   * The pieces of text in the order they were streamed.
   *
   * @return the pieces; empty after a failure
   */
  List<String> pieces() {
    return List.copyOf(pieces);
  }

  /**
   * The answer, when the stream ended properly.
   *
   * @return the assembled answer, or null when nothing may be stored (see {@link #whyNot()})
   */
  LlmResponse complete() {
    if (failure != null || !done || finishReason == null) {
      return null;
    }
    List<ToolCall> toolCalls = new ArrayList<>();
    for (PartialCall call : calls.values()) {
      toolCalls.add(new ToolCall(call.id, call.name.toString(), call.arguments.toString()));
    }
    return new LlmResponse(id, model, sawContent || toolCalls.isEmpty() ? content.toString()
        : null, toolCalls, finishReason, usage);
  }

  /**
   * Why {@link #complete()} is null.
   *
   * @return a short reason, or null when the answer is complete
   */
  String whyNot() {
    if (failure != null) {
      return failure;
    }
    if (!done) {
      return "the stream ended before data: [DONE]";
    }
    if (finishReason == null) {
      return "the stream had no finish reason";
    }
    return null;
  }

  private static final class PartialCall {
    String id;
    final StringBuilder name = new StringBuilder();
    final StringBuilder arguments = new StringBuilder();
  }
}
