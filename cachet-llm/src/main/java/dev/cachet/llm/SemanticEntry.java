package dev.cachet.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A stored prompt and its vector, as a semantic entry in the tiers: JSON with the vector as
 * base64 big-endian floats, in an entry frame of type {@link #TYPE} (framed by core's
 * {@link dev.cachet.tier.TierEngine}). Other processes rebuild
 * their vector indexes from these entries, so the format does not change.
 *
 * @param prompt the last user message the answer was stored for
 * @param vector its embedding
 */
record SemanticEntry(String prompt, float[] vector) {
  /** The entry frame's type fingerprint. */
  static final String TYPE = "cachet-llm/semantic/1";

  /** This entry as the JSON payload of a frame of type {@link #TYPE} with codec {@code json}. */
  byte[] payload(String embedderId) {
    ObjectNode node = JsonNodeFactory.instance.objectNode().put("prompt", prompt)
        .put("embedder", embedderId).put("vector", encodeVector(vector));
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Reads the payload of a frame of type {@link #TYPE}. */
  static SemanticEntry decode(byte[] payload) throws IOException {
    JsonNode node = OpenAiJson.MAPPER.readTree(payload);
    return new SemanticEntry(node.path("prompt").asText(),
        decodeVector(node.path("vector").asText()));
  }

  private static String encodeVector(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4);
    for (float x : v) {
      b.putFloat(x);
    }
    return Base64.getEncoder().encodeToString(b.array());
  }

  private static float[] decodeVector(String base64) {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
    float[] v = new float[b.remaining() / 4];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.getFloat();
    }
    return v;
  }
}
