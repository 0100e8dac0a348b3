package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The canonical form of a request and its exact key, pinned for one request that sets every
 * field. Stored answers are found by this digest: if this test fails, the key of every stored
 * answer changed. That is only right together with a new {@link RequestKeys#KEY_VERSION}
 * (then update the pinned text and digests here in the same commit); otherwise it is a bug
 * that silently turns every cached answer into a miss.
 */
class RequestKeyGoldenTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Every field of a request set, including parameters without a field of their own. */
  static LlmRequest everyField() {
    ObjectNode bias = NODES.objectNode().put("50256", -100);
    return LlmRequest.builder("gpt-4o-mini")
        .system("Be terse.")
        .message(Message.user("What is 2+3?").withName("ann"))
        .message(Message.assistant(null, List.of(new ToolCall("c1", "add",
            "{\"b\": 3, \"a\": 2.0}"))))
        .message(Message.tool("c1", "5"))
        .user("And 4+4?")
        .temperature(0.70)
        .topP(1.0)
        .maxTokens(100)
        .stop(List.of("END"))
        .seed(7L)
        .tool("add", "adds two numbers", "{\"type\":\"object\",\"properties\":"
            + "{\"a\":{\"type\":\"number\"},\"b\":{\"type\":\"number\"}}}")
        .toolChoice("auto")
        .responseFormat(NODES.objectNode().put("type", "text"))
        .extra("logit_bias", bias)
        .extra("frequency_penalty", NODES.numberNode(0.50))
        .build();
  }

  @Test
  void theCanonicalFormOfARequestIsPinned() {
    assertThat(RequestKeys.KEY_VERSION).isEqualTo("cachet-llm-key/1");
    assertThat(RequestKeys.canonicalJson(everyField(), "acme")).isEqualTo(
        "{\"request\":{\"extra\":{\"frequency_penalty\":0.5,\"logit_bias\":{\"50256\":-100}},"
            + "\"max_tokens\":100,\"messages\":[{\"content\":\"Be terse.\",\"role\":\"system\"},"
            + "{\"content\":\"What is 2+3?\",\"name\":\"ann\",\"role\":\"user\"},"
            + "{\"role\":\"assistant\",\"tool_calls\":[{\"arguments\":{\"json\":{\"a\":2,\"b\":3}},"
            + "\"id\":\"c1\",\"name\":\"add\"}]},"
            + "{\"content\":\"5\",\"role\":\"tool\",\"tool_call_id\":\"c1\"},"
            + "{\"content\":\"And 4+4?\",\"role\":\"user\"}],"
            + "\"model\":\"gpt-4o-mini\",\"response_format\":{\"type\":\"text\"},\"seed\":7,"
            + "\"stop\":[\"END\"],\"temperature\":0.7,\"tool_choice\":\"auto\","
            + "\"tools\":[{\"function\":{\"description\":\"adds two numbers\",\"name\":\"add\","
            + "\"parameters\":{\"properties\":{\"a\":{\"type\":\"number\"},"
            + "\"b\":{\"type\":\"number\"}},\"type\":\"object\"}},\"type\":\"function\"}],"
            + "\"top_p\":1},\"tenant\":\"acme\",\"v\":\"cachet-llm-key/1\"}");
  }

  @Test
  void theExactKeyOfARequestIsPinned() {
    assertThat(RequestKeys.exactDigest(everyField(), "acme")).isEqualTo(
        "dcdfca03c40f9198d15f7a6913d17ed3b866a79adec2ee53818c1c6d31f63107");
    assertThat(RequestKeys.exactDigest(LlmRequest.builder("m").user("hi").build(),
        CallOptions.DEFAULT_TENANT)).isEqualTo(
        "fd65ba2105d5e5cfde37e3c8a1262df8dd40f809dee486ddb40c66dc8001950e");
  }

  @Test
  void theSemanticPartitionAndTenantDigestArePinned() {
    assertThat(RequestKeys.partitionDigest(everyField(), "acme", "minilm")).isEqualTo(
        "21c920567ec595ae2ff8bc302854967ca4fa797aa3690f16e8d81cbeec5fde90");
    assertThat(RequestKeys.tenantDigest("acme")).isEqualTo(
        "f1d5e4292ac53257");
  }

  @Test
  void parametersWithoutAFieldOfTheirOwnArePartOfTheKey() {
    LlmRequest plain = LlmRequest.builder("m").user("hi").build();
    LlmRequest penalised = plain.toBuilder().extra("frequency_penalty", NODES.numberNode(0.5))
        .build();
    LlmRequest otherPenalty = plain.toBuilder()
        .extra("frequency_penalty", NODES.numberNode(0.6)).build();
    LlmRequest otherName = plain.toBuilder().extra("presence_penalty", NODES.numberNode(0.5))
        .build();
    LlmRequest sameWrittenDifferently = plain.toBuilder()
        .extra("frequency_penalty", NODES.numberNode(new java.math.BigDecimal("0.500")))
        .build();

    assertThat(List.of(plain, penalised, otherPenalty, otherName))
        .extracting(r -> RequestKeys.exactDigest(r, "t")).doesNotHaveDuplicates();
    assertThat(RequestKeys.exactDigest(sameWrittenDifferently, "t"))
        .isEqualTo(RequestKeys.exactDigest(penalised, "t"));
    assertThat(RequestKeys.partitionDigest(penalised, "t", "e"))
        .isNotEqualTo(RequestKeys.partitionDigest(plain, "t", "e"));
    assertThat(RequestKeys.tree(penalised, 1).get("extra"))
        .isEqualTo(NODES.objectNode().put("frequency_penalty", 0.5));
    assertThat(RequestKeys.tree(plain, 1).has("extra")).isFalse();
  }

  @Test
  void extraParametersReadFromJsonAreKeyedLikeThoseSetOnTheBuilder() {
    LlmRequest fromJson = LlmRequest.fromJson("{\"model\":\"m\",\"frequency_penalty\":0.5,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    LlmRequest built = LlmRequest.builder("m").user("hi")
        .extra("frequency_penalty", NODES.numberNode(0.5)).build();
    assertThat(RequestKeys.exactDigest(fromJson, "t"))
        .isEqualTo(RequestKeys.exactDigest(built, "t"));
  }
}
