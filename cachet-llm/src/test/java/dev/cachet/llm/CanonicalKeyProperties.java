package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;

/** The exact key ignores JSON key order and whitespace, and sees every content change. */
class CanonicalKeyProperties {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Property(tries = 200)
  void keyOrderAndWhitespaceNeverChangeTheKey(@ForAll @AlphaChars @StringLength(min = 1,
      max = 30) String prompt, @ForAll @AlphaChars @StringLength(min = 1, max = 10) String tool,
      @ForAll long seed) throws Exception {
    ObjectNode body = MAPPER.createObjectNode().put("model", "m").put("temperature", 0.5)
        .put("seed", seed);
    body.putArray("messages").addObject().put("role", "user").put("content", prompt);
    ObjectNode fn = body.putArray("tools").addObject().put("type", "function")
        .putObject("function").put("name", tool);
    fn.putObject("parameters").put("type", "object").putObject("properties")
        .putObject("x").put("type", "string");
    String a = body.toString();
    String b = shuffled(body, new Random(seed)).toPrettyString().replace(":", " : ");
    assertThat(RequestKeys.exactDigest(LlmRequest.fromJson(b), "t"))
        .isEqualTo(RequestKeys.exactDigest(LlmRequest.fromJson(a), "t"));
  }

  @Property(tries = 100)
  void differentPromptsHaveDifferentKeys(@ForAll @AlphaChars @StringLength(min = 1,
      max = 30) String p1, @ForAll @AlphaChars @StringLength(min = 1, max = 30) String p2) {
    LlmRequest a = LlmRequest.builder("m").user(p1).build();
    LlmRequest b = LlmRequest.builder("m").user(p2).build();
    assertThat(RequestKeys.exactDigest(a, "t").equals(RequestKeys.exactDigest(b, "t")))
        .isEqualTo(p1.equals(p2));
  }

  private static JsonNode shuffled(JsonNode node, Random random) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      Collections.shuffle(names, random);
      ObjectNode out = MAPPER.createObjectNode();
      for (String n : names) {
        out.set(n, shuffled(node.get(n), random));
      }
      return out;
    }
    if (node.isArray()) {
      var out = MAPPER.createArrayNode();
      node.forEach(e -> out.add(shuffled(e, random)));
      return out;
    }
    return node;
  }
}
