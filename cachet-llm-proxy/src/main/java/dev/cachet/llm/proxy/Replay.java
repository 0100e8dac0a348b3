package dev.cachet.llm.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachet.llm.LlmResponse;
import dev.cachet.llm.ToolCall;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a stored answer back in the OpenAI wire forms: one {@code chat.completion} object, or
 * a server-sent-events stream of {@code chat.completion.chunk} objects ending with
 * {@code data: [DONE]}, shaped like a live stream so clients that render tokens as they come
 * need no special case.
 */
final class Replay {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Words per content chunk: enough pieces to look like a stream, few enough to be cheap. */
  private static final int WORDS_PER_CHUNK = 4;

  private Replay() {
  }

  /**
   * The answer as one {@code chat.completion} body.
   *
   * @param response the stored answer
   * @param requestModel the model the client asked for, used when the answer names none
   *     (clients require the field)
   */
  static byte[] completion(LlmResponse response, String requestModel) {
    try {
      ObjectNode root = (ObjectNode) MAPPER.readTree(response.toJson());
      if (!root.hasNonNull("model")) {
        root.put("model", requestModel);
      }
      return MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a stored answer as JSON", e);
    }
  }

  /**
   * The answer as a complete event stream.
   *
   * @param response the stored answer
   * @param chunks the pieces of text as first streamed, possibly empty
   * @param requestModel the model the client asked for, used when the answer names none
   * @param includeUsage whether the client asked for a usage chunk
   *     ({@code stream_options.include_usage})
   */
  static byte[] stream(LlmResponse response, List<String> chunks, String requestModel,
      boolean includeUsage) {
    String id = response.id() == null ? "chatcmpl-cachet" : response.id();
    String model = response.model() == null ? requestModel : response.model();
    long created = System.currentTimeMillis() / 1000;
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + lengthOf(response) * 2);

    ObjectNode first = chunk(id, model, created);
    delta(first).put("role", "assistant").put("content", "");
    event(out, first);
    if (response.content() != null) {
      // The stored pieces when they add up to the answer (a streamed original), else the text
      // cut after every few words.
      List<String> parts = chunks.size() > 1 && String.join("", chunks).equals(response.content())
          ? chunks : pieces(response.content());
      for (String piece : parts) {
        ObjectNode c = chunk(id, model, created);
        delta(c).put("content", piece);
        event(out, c);
      }
    }
    List<ToolCall> calls = response.toolCalls();
    for (int i = 0; i < calls.size(); i++) {
      ToolCall call = calls.get(i);
      ObjectNode c = chunk(id, model, created);
      ArrayNode array = delta(c).putArray("tool_calls");
      ObjectNode node = array.addObject().put("index", i);
      if (call.id() != null) {
        node.put("id", call.id());
      }
      node.put("type", "function");
      node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
      event(out, c);
    }
    ObjectNode last = chunk(id, model, created);
    delta(last);
    ((ObjectNode) last.get("choices").get(0)).put("finish_reason",
        response.finishReason().wireName());
    event(out, last);
    if (includeUsage && response.usage() != null) {
      ObjectNode usage = NODES.objectNode().put("id", id).put("object", "chat.completion.chunk")
          .put("created", created).put("model", model);
      usage.putArray("choices");
      usage.putObject("usage").put("prompt_tokens", response.usage().promptTokens())
          .put("completion_tokens", response.usage().completionTokens())
          .put("total_tokens", response.usage().totalTokens());
      event(out, usage);
    }
    out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static int lengthOf(LlmResponse response) {
    int n = response.content() == null ? 0 : response.content().length();
    for (ToolCall call : response.toolCalls()) {
      n += call.arguments().length();
    }
    return n;
  }

  /** Splits text after every few words, keeping every character (the pieces join back). */
  static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    int words = 0;
    for (int i = 1; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i - 1)) && !Character.isWhitespace(text.charAt(i))
          && ++words == WORDS_PER_CHUNK) {
        pieces.add(text.substring(start, i));
        start = i;
        words = 0;
      }
    }
    if (start < text.length() || pieces.isEmpty()) {
      pieces.add(text.substring(start));
    }
    return pieces;
  }

  private static ObjectNode chunk(String id, String model, long created) {
    ObjectNode chunk = NODES.objectNode().put("id", id).put("object", "chat.completion.chunk")
        .put("created", created).put("model", model);
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.putObject("delta");
    choice.putNull("finish_reason");
    return chunk;
  }

  private static ObjectNode delta(ObjectNode chunk) {
    return (ObjectNode) chunk.get("choices").get(0).get("delta");
  }

  private static void event(ByteArrayOutputStream out, JsonNode chunk) {
    out.writeBytes("data: ".getBytes(StandardCharsets.UTF_8));
    out.writeBytes(chunk.toString().getBytes(StandardCharsets.UTF_8));
    out.writeBytes("\n\n".getBytes(StandardCharsets.UTF_8));
  }
}
