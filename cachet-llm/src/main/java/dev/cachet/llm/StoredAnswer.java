package dev.cachet.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A stored answer: the response, its chunks for replay and the prompt it answered. Its JSON is
 * the payload of an {@link #TYPE} entry frame in the tiers, read by other processes and later
 * runs, so its fields only ever grow.
 */
final class StoredAnswer {
  /** The entry frame's type fingerprint: a frame of another type is not an answer. */
  static final String TYPE = "cachet-llm/answer/1";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  final LlmResponse response;
  final List<String> chunks;
  final String prompt;
  final long storedAt;
  final long expiresAt;

  StoredAnswer(LlmResponse response, List<String> chunks, String prompt, long storedAt,
      long expiresAt) {
    this.response = response;
    this.chunks = chunks;
    this.prompt = prompt;
    this.storedAt = storedAt;
    this.expiresAt = expiresAt;
  }

  byte[] toJson() {
    ObjectNode node = NODES.objectNode();
    if (prompt != null) {
      node.put("prompt", prompt);
    }
    node.put("storedAt", storedAt);
    try {
      node.set("response", OpenAiJson.MAPPER.readTree(response.toJson()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ArrayNode array = node.putArray("chunks");
    chunks.forEach(array::add);
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  static StoredAnswer fromJson(byte[] payload, long expiresAt) throws IOException {
    JsonNode node = OpenAiJson.MAPPER.readTree(payload);
    LlmResponse response = LlmResponse.fromJson(node.get("response").toString());
    List<String> chunks = new ArrayList<>();
    node.path("chunks").forEach(c -> chunks.add(c.asText()));
    return new StoredAnswer(response, List.copyOf(chunks),
        node.hasNonNull("prompt") ? node.get("prompt").asText() : null,
        node.path("storedAt").asLong(), expiresAt);
  }
}
