package dev.cachet.llm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachet.llm.InvalidRequestException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and writes the OpenAI chat-completions JSON shapes. */
final class OpenAiJson {
  static final ObjectMapper MAPPER = new ObjectMapper()
      // A duplicated key would make two parsers disagree about the request; refuse it.
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Fields that do not change the answer: not part of the request model, not keyed. */
  private static final Set<String> IGNORED = Set.of("stream", "stream_options", "user",
      "metadata", "store", "service_tier", "prompt_cache_key", "safety_identifier");
  private static final Set<String> KNOWN = Set.of("model", "messages", "temperature", "top_p",
      "max_tokens", "max_completion_tokens", "stop", "seed", "tools", "tool_choice",
      "response_format", "n", "logprobs", "top_logprobs");

  private OpenAiJson() {
  }

  static JsonNode parse(String json, String what) {
    if (json == null) {
      throw new InvalidRequestException(Reason.MALFORMED_JSON, "The " + what + " is null");
    }
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new InvalidRequestException(Reason.MALFORMED_JSON, "The " + what + " is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(Reason.MALFORMED_JSON, "The " + what
          + " is not valid JSON: " + e.getOriginalMessage() + location(e), e);
    }
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
        + e.getLocation().getColumnNr() + ")";
  }

  static LlmRequest readRequest(String json) {
    JsonNode root = parse(json, "request body");
    if (!root.isObject()) {
      throw new InvalidRequestException(Reason.MALFORMED_JSON,
          "The request body must be a JSON object, got " + root.getNodeType());
    }
    LlmRequest.Builder b = LlmRequest.builder(text(root, "model"));
    JsonNode messages = root.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new InvalidRequestException(Reason.EMPTY_MESSAGES,
          "The request needs a non-empty 'messages' array");
    }
    for (int i = 0; i < messages.size(); i++) {
      b.message(readMessage(messages.get(i), i));
    }
    b.temperature(number(root, "temperature"));
    b.topP(number(root, "top_p"));
    Integer maxTokens = integer(root, "max_tokens");
    b.maxTokens(maxTokens != null ? maxTokens : integer(root, "max_completion_tokens"));
    if (maxTokens != null && root.hasNonNull("max_completion_tokens")) {
      // Both given: keep the second one keyed too, since the provider decides which wins.
      b.extra("max_completion_tokens", root.get("max_completion_tokens"));
    }
    JsonNode stop = root.get("stop");
    if (stop != null && !stop.isNull()) {
      List<String> sequences = new ArrayList<>();
      if (stop.isTextual()) {
        sequences.add(stop.asText());
      } else if (stop.isArray()) {
        stop.forEach(s -> sequences.add(requireText(s, "stop")));
      } else {
        throw invalid("'stop' must be a string or an array of strings");
      }
      b.stop(sequences);
    }
    JsonNode seed = root.get("seed");
    if (seed != null && !seed.isNull()) {
      if (!seed.canConvertToLong() || !seed.isIntegralNumber()) {
        throw invalid("'seed' must be an integer, got " + seed);
      }
      b.seed(seed.asLong());
    }
    JsonNode tools = root.get("tools");
    if (tools != null && !tools.isNull()) {
      if (!tools.isArray()) {
        throw invalid("'tools' must be an array");
      }
      tools.forEach(b::tool);
    }
    b.toolChoice(root.get("tool_choice"));
    b.responseFormat(root.get("response_format"));
    JsonNode n = root.get("n");
    // Compared as a whole number: asInt() would read 2^32 + 1 as 1.
    if (n != null && !n.isNull() && !(n.isIntegralNumber()
        && java.math.BigInteger.ONE.equals(n.bigIntegerValue()))) {
      throw new InvalidRequestException(Reason.UNSUPPORTED,
          "n=" + n + " asks for several answers; the cache keeps one answer per request");
    }
    if (root.path("logprobs").asBoolean(false) || root.hasNonNull("top_logprobs")) {
      throw new InvalidRequestException(Reason.UNSUPPORTED,
          "logprobs are not kept by the cache, so such a request cannot be answered from it");
    }
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (!KNOWN.contains(field.getKey()) && !IGNORED.contains(field.getKey())) {
        b.extra(field.getKey(), field.getValue());
      }
    }
    return b.build();
  }

  private static Message readMessage(JsonNode m, int index) {
    if (!m.isObject()) {
      throw new InvalidRequestException(Reason.MALFORMED_JSON,
          "messages[" + index + "] must be an object, got " + m.getNodeType());
    }
    JsonNode roleNode = m.get("role");
    if (roleNode == null || !roleNode.isTextual()) {
      throw new InvalidRequestException(Reason.MISSING_FIELD,
          "messages[" + index + "] has no 'role'");
    }
    Role role = Role.fromWireName(roleNode.asText());
    String content = content(m.get("content"), index);
    JsonNode nameNode = m.get("name");
    if (nameNode != null && !nameNode.isNull() && !nameNode.isTextual()) {
      // asText() would key 5 and "5" alike, and every object as "".
      throw new InvalidRequestException(Reason.UNSUPPORTED, "messages[" + index
          + "].name is a " + nameNode.getNodeType() + ", not a string; only string names are"
          + " cached");
    }
    String name = nameNode == null || nameNode.isNull() ? null : nameNode.asText();
    List<ToolCall> calls = new ArrayList<>();
    JsonNode toolCalls = m.get("tool_calls");
    if (toolCalls != null && !toolCalls.isNull()) {
      if (!toolCalls.isArray()) {
        throw invalid("messages[" + index + "].tool_calls must be an array");
      }
      for (JsonNode call : toolCalls) {
        calls.add(readToolCall(call));
      }
    }
    String toolCallId = m.hasNonNull("tool_call_id") ? m.get("tool_call_id").asText() : null;
    try {
      return new Message(role, content, name, calls, toolCallId);
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException(e.reason(), "messages[" + index + "]: "
          + e.getMessage(), e);
    }
  }

  private static String content(JsonNode content, int index) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      if (content.size() > 1) {
        // Joined, several parts would key like one string holding the same lines; kept
        // apart, they would need a form of content the model here does not have.
        throw new InvalidRequestException(Reason.UNSUPPORTED, "messages[" + index
            + "] has " + content.size() + " content parts; only a single text part or a"
            + " string is cached");
      }
      String text = ""; // no part: empty content, refused for what needs content
      for (JsonNode part : content) { // at most one
        String type = part.path("type").asText("");
        if (!type.equals("text")) {
          throw new InvalidRequestException(Reason.UNSUPPORTED, "messages[" + index
              + "] has a content part of type '" + type + "'; only text parts are cached");
        }
        text = requireText(part.get("text"), "text part");
      }
      return text;
    }
    throw invalid("messages[" + index + "].content must be a string or an array of parts");
  }

  static ToolCall readToolCall(JsonNode call) {
    JsonNode function = call.path("function");
    JsonNode arguments = function.get("arguments");
    String args = arguments == null || arguments.isNull() ? ""
        : arguments.isTextual() ? arguments.asText() : arguments.toString();
    return new ToolCall(call.hasNonNull("id") ? call.get("id").asText() : null,
        function.hasNonNull("name") ? function.get("name").asText() : null, args);
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw new InvalidRequestException(Reason.MISSING_FIELD, "The request has no '" + field
          + "'");
    }
    return requireText(node, field);
  }

  private static String requireText(JsonNode node, String what) {
    if (node == null || !node.isTextual()) {
      throw invalid("'" + what + "' must be a string, got " + (node == null ? "nothing"
          : node.getNodeType()));
    }
    return node.asText();
  }

  private static Double number(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      throw invalid("'" + field + "' must be a number, got " + node);
    }
    return node.asDouble();
  }

  private static Integer integer(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw invalid("'" + field + "' must be an integer, got " + node);
    }
    return node.asInt();
  }

  private static InvalidRequestException invalid(String message) {
    return new InvalidRequestException(Reason.INVALID_FIELD, message);
  }

  /**
   * Writes the request's sampling and tool parameters under their OpenAI names: shared by the
   * wire form and the canonical key, so a parameter added to one cannot be missed by the other.
   */
  static void writeParameters(LlmRequest r, ObjectNode root) {
    if (r.temperature() != null) {
      root.put("temperature", r.temperature());
    }
    if (r.topP() != null) {
      root.put("top_p", r.topP());
    }
    if (r.maxTokens() != null) {
      root.put("max_tokens", r.maxTokens());
    }
    if (!r.stop().isEmpty()) {
      ArrayNode stop = root.putArray("stop");
      r.stop().forEach(stop::add);
    }
    if (r.seed() != null) {
      root.put("seed", r.seed());
    }
    if (!r.toolsView().isEmpty()) {
      ArrayNode tools = root.putArray("tools");
      r.toolsView().forEach(tools::add);
    }
    if (r.toolChoiceView() != null) {
      root.set("tool_choice", r.toolChoiceView());
    }
    if (r.responseFormatView() != null) {
      root.set("response_format", r.responseFormatView());
    }
  }

  static String writeRequest(LlmRequest r) {
    ObjectNode root = NODES.objectNode();
    root.put("model", r.model());
    ArrayNode messages = root.putArray("messages");
    for (Message m : r.messages()) {
      ObjectNode node = messages.addObject().put("role", m.role().wireName());
      if (m.content() != null) {
        node.put("content", m.content());
      } else {
        node.putNull("content");
      }
      if (m.name() != null) {
        node.put("name", m.name());
      }
      if (!m.toolCalls().isEmpty()) {
        node.set("tool_calls", toolCalls(m.toolCalls()));
      }
      if (m.toolCallId() != null) {
        node.put("tool_call_id", m.toolCallId());
      }
    }
    writeParameters(r, root);
    r.extraView().forEach(root::set);
    return root.toString();
  }

  static ArrayNode toolCalls(List<ToolCall> calls) {
    ArrayNode array = NODES.arrayNode();
    for (ToolCall call : calls) {
      ObjectNode node = array.addObject();
      if (call.id() != null) {
        node.put("id", call.id());
      }
      node.put("type", "function");
      node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
    }
    return array;
  }

  static LlmResponse readResponse(String json) {
    JsonNode root = parse(json, "response body");
    JsonNode choice = root.path("choices").path(0);
    if (!choice.isObject()) {
      throw new InvalidRequestException(Reason.MALFORMED_JSON,
          "A chat.completion response needs a 'choices' array with at least one choice");
    }
    JsonNode message = choice.path("message");
    List<ToolCall> calls = new ArrayList<>();
    message.path("tool_calls").forEach(c -> calls.add(readToolCall(c)));
    Usage usage = null;
    JsonNode u = root.get("usage");
    if (u != null && u.isObject()) {
      usage = new Usage(u.path("prompt_tokens").asInt(), u.path("completion_tokens").asInt(),
          u.path("total_tokens").asInt());
    }
    return new LlmResponse(root.hasNonNull("id") ? root.get("id").asText() : null,
        root.hasNonNull("model") ? root.get("model").asText() : null,
        message.hasNonNull("content") ? message.get("content").asText() : null, calls,
        FinishReason.fromWireName(choice.hasNonNull("finish_reason")
            ? choice.get("finish_reason").asText() : null), usage);
  }

  static String writeResponse(LlmResponse r) {
    ObjectNode root = NODES.objectNode();
    root.put("id", r.id() == null ? "chatcmpl-cachet" : r.id());
    root.put("object", "chat.completion");
    root.put("created", System.currentTimeMillis() / 1000);
    if (r.model() != null) {
      root.put("model", r.model());
    }
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    if (r.content() != null) {
      message.put("content", r.content());
    } else {
      message.putNull("content");
    }
    if (!r.toolCalls().isEmpty()) {
      message.set("tool_calls", toolCalls(r.toolCalls()));
    }
    if (r.finishReason() != null) {
      choice.put("finish_reason", r.finishReason().wireName());
    } else {
      choice.putNull("finish_reason");
    }
    if (r.usage() != null) {
      root.putObject("usage").put("prompt_tokens", r.usage().promptTokens())
          .put("completion_tokens", r.usage().completionTokens())
          .put("total_tokens", r.usage().totalTokens());
    }
    return root.toString();
  }
}
