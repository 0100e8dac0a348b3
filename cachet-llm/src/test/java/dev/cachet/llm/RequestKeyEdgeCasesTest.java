package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * The edges of the LLM request key: two requests share an answer exactly when nothing that
 * changes the answer differs. Each case is one a user meets: numbers written differently,
 * tool-call arguments formatted differently, a tool message's id, another tenant, the semantic
 * partition (docs/TESTING.md: written for mutation testing of {@link RequestKeys}).
 */
class RequestKeyEdgeCasesTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static LlmRequest request(String body) {
    return LlmRequest.fromJson(body);
  }

  private static String key(String body) {
    return RequestKeys.exactDigest(request(body), "t");
  }

  private static String user(String text) {
    return "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
  }

  @Test
  void numbersAreWrittenInTheirShortestPlainForm() {
    assertThat(RequestKeys.number(NODES.numberNode(1.0))).isEqualTo("1");
    assertThat(RequestKeys.number(NODES.numberNode(0.7))).isEqualTo("0.7");
    assertThat(RequestKeys.number(NODES.numberNode(new BigDecimal("0.70")))).isEqualTo("0.7");
    assertThat(RequestKeys.number(NODES.numberNode(new BigDecimal("1E+3")))).isEqualTo("1000");
    assertThat(RequestKeys.number(NODES.numberNode(-0.0))).isEqualTo("0");
    assertThat(RequestKeys.number(NODES.numberNode(new BigDecimal("0.000")))).isEqualTo("0");
    assertThat(RequestKeys.number(NODES.numberNode(-2.5))).isEqualTo("-2.5");
    assertThat(RequestKeys.number(NODES.numberNode(42L))).isEqualTo("42");
    assertThat(RequestKeys.number(NODES.numberNode(Double.NaN))).isEqualTo("null");
    assertThat(RequestKeys.number(NODES.numberNode(Double.POSITIVE_INFINITY)))
        .isEqualTo("null");
  }

  @Test
  void canonicalJsonSortsKeysAndSeparatesEntries() {
    var node = NODES.objectNode().put("b", 1).put("a", "x\"y");
    node.putArray("c").add(1).add(2.50).add(true);
    assertThat(RequestKeys.canonical(node)).isEqualTo("{\"a\":\"x\\\"y\",\"b\":1,\"c\":[1,2.5,true]}");
  }

  @Test
  void temperatureWrittenDifferentlyIsTheSameKeyAndADifferentValueIsNot() {
    String a = "{\"model\":\"m\",\"temperature\":0.70,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}";
    String b = "{\"model\":\"m\",\"temperature\":7e-1,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}";
    String c = "{\"model\":\"m\",\"temperature\":0.71,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}";
    assertThat(key(a)).isEqualTo(key(b)).isNotEqualTo(key(c));
  }

  private static String withToolCall(String id, String arguments, String toolCallId) {
    return "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"},"
        + "{\"role\":\"assistant\",\"tool_calls\":[{" + (id == null ? "" : "\"id\":\"" + id
        + "\",") + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":"
        + NODES.textNode(arguments) + "}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"" + toolCallId + "\",\"content\":\"42\"}]}";
  }

  @Test
  void toolCallArgumentsThatAreJsonAreKeyedByContentNotFormatting() {
    assertThat(key(withToolCall("c1", "{\"x\": 1, \"y\": [1, 2]}", "c1")))
        .isEqualTo(key(withToolCall("c1", "  {\"y\":[1,2],\"x\":1.0}", "c1")))
        .isNotEqualTo(key(withToolCall("c1", "{\"x\":2,\"y\":[1,2]}", "c1")));
    assertThat(key(withToolCall("c1", "[1, 2]", "c1")))
        .isEqualTo(key(withToolCall("c1", "[1,2]", "c1")));
  }

  @Test
  void toolCallArgumentsThatAreNotJsonAreKeyedExactly() {
    assertThat(key(withToolCall("c1", "{not json", "c1")))
        .isNotEqualTo(key(withToolCall("c1", "{not  json", "c1")));
    assertThat(key(withToolCall("c1", "plain", "c1")))
        .isNotEqualTo(key(withToolCall("c1", " plain", "c1")));
    // Text that happens to look like JSON once parsed is still not the JSON itself.
    assertThat(key(withToolCall("c1", "1", "c1")))
        .isNotEqualTo(key(withToolCall("c1", "[1]", "c1")));
  }

  @Test
  void toolCallIdsAndNamesArePartOfTheKey() {
    assertThat(key(withToolCall("c1", "{}", "c1")))
        .isNotEqualTo(key(withToolCall("c2", "{}", "c1")))
        .isNotEqualTo(key(withToolCall("c1", "{}", "c2")))
        .isNotEqualTo(key(withToolCall(null, "{}", "c1")));
    String named = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"name\":\"ann\","
        + "\"content\":\"hi\"}]}";
    assertThat(key(named)).isNotEqualTo(key(user("hi")));
  }

  @Test
  void tenantsNeverShareAKey() {
    LlmRequest r = request(user("hi"));
    assertThat(RequestKeys.exactDigest(r, "acme")).isNotEqualTo(RequestKeys.exactDigest(r,
        "globex"));
    assertThat(RequestKeys.exactDigest(r, "acme")).hasSize(64).matches("[0-9a-f]+");
    assertThat(RequestKeys.tenantDigest("acme")).hasSize(16)
        .isNotEqualTo(RequestKeys.tenantDigest("globex"))
        .isEqualTo(RequestKeys.tenantDigest("acme"));
  }

  @Test
  void thePartitionIgnoresTheLastUserTextButNotItsContextNameTenantOrEmbedder() {
    String base = RequestKeys.partitionDigest(request(user("what is the weather")), "t", "e1");
    assertThat(RequestKeys.partitionDigest(request(user("weather today?")), "t", "e1"))
        .isEqualTo(base);
    assertThat(RequestKeys.partitionDigest(request(user("hi")), "u", "e1")).isNotEqualTo(base);
    assertThat(RequestKeys.partitionDigest(request(user("hi")), "t", "e2")).isNotEqualTo(base);
    String named = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"name\":\"ann\","
        + "\"content\":\"hi\"}]}";
    assertThat(RequestKeys.partitionDigest(request(named), "t", "e1")).isNotEqualTo(base);
    String withSystem = "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"be"
        + " brief\"},{\"role\":\"user\",\"content\":\"hi\"}]}";
    assertThat(RequestKeys.partitionDigest(request(withSystem), "t", "e1")).isNotEqualTo(base);
    // The exact key is not the partition: the same request has both, and they differ.
    assertThat(RequestKeys.exactDigest(request(user("hi")), "t")).isNotEqualTo(base);
  }
}
