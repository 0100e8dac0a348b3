package dev.cachet.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cachet.key.KeyDigest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical form of requests and the digests built from it.
 *
 * <p>Canonical JSON: object keys sorted by code point, no whitespace between tokens, numbers as
 * the shortest plain decimal ({@code 1}, {@code 1.0} and {@code 1e0} are all {@code 1};
 * {@code 0.70} is {@code 0.7}), strings escaped the JSON way. Tool call arguments that parse as
 * JSON are canonicalized too; message text is kept exactly (whitespace inside a prompt is part
 * of the prompt).
 */
final class RequestKeys {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Bumped when the canonical form changes, so old entries are no longer found. */
  static final String KEY_VERSION = "cachet-llm-key/1";

  private RequestKeys() {
  }

  /** The request as a JSON tree of every answer-changing field, in canonical order. */
  static ObjectNode tree(LlmRequest r, int messageCount) {
    ObjectNode root = NODES.objectNode();
    root.put("model", r.model());
    ArrayNode messages = root.putArray("messages");
    for (int i = 0; i < messageCount; i++) {
      messages.add(message(r.messages().get(i)));
    }
    OpenAiJson.writeParameters(r, root);
    if (!r.extraView().isEmpty()) {
      ObjectNode extra = root.putObject("extra");
      r.extraView().forEach(extra::set);
    }
    return root;
  }

  private static ObjectNode message(Message m) {
    ObjectNode node = NODES.objectNode().put("role", m.role().wireName());
    if (m.content() != null) {
      node.put("content", m.content());
    }
    if (m.name() != null) {
      node.put("name", m.name());
    }
    if (!m.toolCalls().isEmpty()) {
      ArrayNode calls = node.putArray("tool_calls");
      for (ToolCall call : m.toolCalls()) {
        ObjectNode c = calls.addObject().put("name", call.name());
        if (call.id() != null) {
          c.put("id", call.id());
        }
        c.set("arguments", arguments(call.arguments()));
      }
    }
    if (m.toolCallId() != null) {
      node.put("tool_call_id", m.toolCallId());
    }
    return node;
  }

  /** Arguments as JSON when they are JSON (so their formatting does not matter), else text. */
  private static JsonNode arguments(String arguments) {
    String trimmed = arguments.strip();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        JsonNode parsed = OpenAiJson.MAPPER.readTree(trimmed);
        if (parsed != null) {
          return NODES.objectNode().set("json", parsed);
        }
      } catch (java.io.IOException e) {
        // not JSON: keyed as text, exactly
      }
    }
    return NODES.objectNode().put("text", arguments);
  }

  /** Canonical JSON text of the whole request, for a tenant. */
  static String canonicalJson(LlmRequest r, String tenant) {
    ObjectNode keyed = NODES.objectNode().put("v", KEY_VERSION).put("tenant", tenant);
    keyed.set("request", tree(r, r.messages().size()));
    return canonical(keyed);
  }

  /** The exact key: SHA-256 of the canonical JSON, hex. */
  static String exactDigest(LlmRequest r, String tenant) {
    return sha256Hex(canonicalJson(r, tenant));
  }

  /**
   * The semantic partition: everything but the last user message's text (its name stays),
   * the tenant and the embedder (vectors of different models are not comparable).
   */
  static String partitionDigest(LlmRequest r, String tenant, String embedderId) {
    int last = r.messages().size() - 1;
    ObjectNode keyed = NODES.objectNode().put("v", KEY_VERSION).put("tenant", tenant)
        .put("kind", "semantic-partition").put("embedder", embedderId);
    keyed.set("request", tree(r, last));
    Message lastMessage = r.messages().get(last);
    if (lastMessage.name() != null) {
      keyed.put("last_user_name", lastMessage.name());
    }
    return sha256Hex(canonical(keyed));
  }

  /** A short, stable digest of a tenant id, for namespaces. */
  static String tenantDigest(String tenant) {
    return sha256Hex("tenant\n" + tenant).substring(0, 16);
  }

  static String canonical(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      names.sort(null); // String order is UTF-16 code unit order: stable across JVMs
      out.append('{');
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(TextNode.valueOf(names.get(i)).toString()).append(':');
        write(node.get(names.get(i)), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(node.get(i), out);
      }
      out.append(']');
    } else if (node.isNumber()) {
      out.append(number(node));
    } else {
      out.append(node.toString()); // strings (escaped), booleans, null
    }
  }

  static String number(JsonNode node) {
    BigDecimal value;
    if (node.isFloatingPointNumber() && !node.isBigDecimal()) {
      double d = node.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return "null"; // JSON has no such numbers; Jackson only produces them on request
      }
      value = BigDecimal.valueOf(d); // shortest decimal that round-trips: 0.7, not 0.69999...
    } else {
      value = node.decimalValue();
    }
    value = value.stripTrailingZeros();
    if (value.signum() == 0) {
      return "0";
    }
    return value.toPlainString();
  }

  static String sha256Hex(String text) {
    try {
      return KeyDigest.hex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

}
