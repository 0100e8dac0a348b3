package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.llm.InvalidRequestException.Reason;
import org.junit.jupiter.api.Test;

class LlmRequestTest {
  private static final String BODY = """
      {"model":"gpt-4o-mini","temperature":0,"messages":[
        {"role":"system","content":"Be terse."},
        {"role":"user","content":"What is 2+3?"}],
       "tools":[{"type":"function","function":{"name":"add","parameters":
         {"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}}}}}],
       "tool_choice":"auto","stream":true,"user":"u-1"}
      """;

  @Test
  void readsAnOpenAiBody() {
    LlmRequest r = LlmRequest.fromJson(BODY);
    assertThat(r.model()).isEqualTo("gpt-4o-mini");
    assertThat(r.messages()).extracting(Message::role).containsExactly(Role.SYSTEM, Role.USER);
    assertThat(r.lastUserText()).isEqualTo("What is 2+3?");
    assertThat(r.temperature()).isEqualTo(0.0);
    assertThat(r.tools()).hasSize(1);
    assertThat(r.toolChoice().asText()).isEqualTo("auto");
    assertThat(r.extra()).doesNotContainKeys("stream", "user");
  }

  @Test
  void fieldOrderWhitespaceAndNumberFormDoNotChangeTheKey() {
    String reordered = """
        {  "tool_choice" : "auto", "messages" : [ {"content":"Be terse.","role":"system"},
           {"content":"What is 2+3?", "role":"user"} ],
           "tools":[{"function":{"parameters":{"properties":{"b":{"type":"number"},
             "a":{"type":"number"}},"type":"object"},"name":"add"},"type":"function"}],
           "temperature": 0.0, "model":"gpt-4o-mini" }
        """;
    assertThat(RequestKeys.exactDigest(LlmRequest.fromJson(reordered), "t"))
        .isEqualTo(RequestKeys.exactDigest(LlmRequest.fromJson(BODY), "t"));
  }

  @Test
  void systemPromptToolsAndToolChoiceAreAllPartOfTheKey() {
    LlmRequest base = LlmRequest.fromJson(BODY);
    String key = RequestKeys.exactDigest(base, "t");
    assertThat(RequestKeys.exactDigest(LlmRequest.fromJson(BODY.replace("Be terse.",
        "Be verbose.")), "t")).isNotEqualTo(key);
    assertThat(RequestKeys.exactDigest(LlmRequest.fromJson(BODY.replace("\"add\"",
        "\"sum\"")), "t")).isNotEqualTo(key);
    assertThat(RequestKeys.exactDigest(LlmRequest.fromJson(BODY.replace("\"auto\"",
        "\"required\"")), "t")).isNotEqualTo(key);
    assertThat(RequestKeys.exactDigest(base.toBuilder().seed(7L).build(), "t"))
        .isNotEqualTo(key);
    assertThat(RequestKeys.exactDigest(base, "other-tenant")).isNotEqualTo(key);
  }

  @Test
  void roundTripsThroughJson() {
    LlmRequest r = LlmRequest.fromJson(BODY);
    assertThat(LlmRequest.fromJson(r.toJson())).isEqualTo(r);
  }

  @Test
  void badInputIsRefusedWithASpecificReason() {
    assertReason("{\"model\":\"m\",\"messages\":[", Reason.MALFORMED_JSON);
    assertReason("[1,2]", Reason.MALFORMED_JSON);
    assertReason("{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}",
        Reason.UNKNOWN_ROLE);
    assertReason("{\"model\":\"m\",\"messages\":[]}", Reason.EMPTY_MESSAGES);
    assertReason("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"  \"}]}",
        Reason.EMPTY_MESSAGES);
    assertReason("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        Reason.MISSING_FIELD);
    assertReason("{\"model\":\"m\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        Reason.UNSUPPORTED);
    assertReason("{\"model\":\"m\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}", Reason.INVALID_FIELD);
    assertReason("{\"model\":\"m\",\"model\":\"n\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}", Reason.MALFORMED_JSON);
  }

  private static void assertReason(String json, Reason reason) {
    assertThatThrownBy(() -> LlmRequest.fromJson(json))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).reason()).isEqualTo(reason));
  }

  @Test
  void responsesRoundTripThroughOpenAiJson() {
    LlmResponse r = new LlmResponse("id-1", "m", "Five.", java.util.List.of(),
        FinishReason.STOP, Usage.of(10, 2));
    assertThat(LlmResponse.fromJson(r.toJson())).isEqualTo(r);
  }
}
