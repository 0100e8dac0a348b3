package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachet.llm.InvalidRequestException.Reason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link LlmRequest#toJson()} and {@link LlmResponse#toJson()} send (to the provider, to a
 * client served from the cache) and how an upstream response is read back.
 */
class ChatWireWritingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode tree(String json) throws Exception {
    return JSON.readTree(json);
  }

  private static final String CONVERSATION = """
      {"model":"m","messages":[
        {"role":"user","content":"Add 2 and 3","name":"ann"},
        {"role":"assistant","content":null,"tool_calls":[
          {"id":"c1","type":"function","function":{"name":"add","arguments":"{\\"a\\":2}"}},
          {"type":"function","function":{"name":"add","arguments":"{}"}}]},
        {"role":"tool","tool_call_id":"c1","content":"5"}],
       "frequency_penalty":0.5}
      """;

  @Test
  void aConversationWithNamesToolCallsAndExtrasSurvivesTheWireForm() {
    LlmRequest r = LlmRequest.fromJson(CONVERSATION);
    assertThat(LlmRequest.fromJson(r.toJson())).isEqualTo(r);
    assertThat(LlmRequest.fromJson(r.toJson()).messages().get(1).toolCalls()).hasSize(2);
  }

  @Test
  void theWireFormCarriesEachFieldOnlyWhereTheRequestHasIt() throws Exception {
    JsonNode wire = tree(LlmRequest.fromJson(CONVERSATION).toJson());
    JsonNode user = wire.get("messages").get(0);
    JsonNode assistant = wire.get("messages").get(1);
    JsonNode tool = wire.get("messages").get(2);
    assertThat(user.get("name").asText()).isEqualTo("ann");
    assertThat(user.has("tool_calls")).isFalse();
    assertThat(user.has("tool_call_id")).isFalse();
    assertThat(assistant.has("name")).isFalse();
    assertThat(assistant.get("content").isNull()).isTrue();
    assertThat(assistant.get("tool_calls").get(0).get("id").asText()).isEqualTo("c1");
    assertThat(assistant.get("tool_calls").get(0).get("type").asText()).isEqualTo("function");
    assertThat(assistant.get("tool_calls").get(1).has("id"))
        .as("a tool call without an id is sent without one, not with id null").isFalse();
    assertThat(assistant.get("tool_calls").get(1).get("function").get("name").asText())
        .isEqualTo("add");
    assertThat(tool.get("tool_call_id").asText()).isEqualTo("c1");
    assertThat(tool.has("name")).isFalse();
    assertThat(wire.get("frequency_penalty").asDouble())
        .as("an unknown parameter is sent on to the provider").isEqualTo(0.5);
  }

  @Test
  void aServedResponseIsAChatCompletionWithAnIdAndTheCurrentTime() throws Exception {
    long before = Instant.now().getEpochSecond();
    JsonNode written = tree(new LlmResponse(null, null, "Five.", List.of(), FinishReason.STOP,
        null).toJson());
    long after = Instant.now().getEpochSecond();
    assertThat(written.get("id").asText()).isEqualTo("chatcmpl-cachet");
    assertThat(written.get("object").asText()).isEqualTo("chat.completion");
    assertThat(written.get("created").asLong()).as("seconds since the epoch")
        .isBetween(before, after);
    assertThat(written.has("model")).isFalse();
    assertThat(written.has("usage")).isFalse();
    JsonNode message = written.get("choices").get(0).get("message");
    assertThat(message.get("role").asText()).isEqualTo("assistant");
    assertThat(message.get("content").asText()).isEqualTo("Five.");
    assertThat(message.has("tool_calls")).isFalse();
    assertThat(written.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");

    JsonNode withId = tree(new LlmResponse("r-7", "m", "Five.", List.of(), FinishReason.STOP,
        Usage.of(3, 1)).toJson());
    assertThat(withId.get("id").asText()).isEqualTo("r-7");
    assertThat(withId.get("model").asText()).isEqualTo("m");
    assertThat(withId.get("usage").get("total_tokens").asInt()).isEqualTo(4);
  }

  @Test
  void aToolCallAnswerIsReadAndWrittenWithItsCalls() {
    String upstream = """
        {"id":"r-1","model":"m","choices":[{"index":0,"message":{"role":"assistant",
          "content":null,"tool_calls":[{"id":"c1","type":"function",
          "function":{"name":"add","arguments":"{\\"a\\":2}"}}]},"finish_reason":"tool_calls"}]}
        """;
    LlmResponse r = LlmResponse.fromJson(upstream);
    assertThat(r.content()).isNull();
    assertThat(r.toolCalls()).containsExactly(new ToolCall("c1", "add", "{\"a\":2}"));
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(LlmResponse.fromJson(r.toJson())).isEqualTo(r);
  }

  @Test
  void aResponseWithoutAChoiceIsRefusedAsMalformed() {
    for (String json : List.of("{\"id\":\"r\"}", "{\"choices\":[]}", "{\"choices\":[5]}")) {
      InvalidRequestException e = catchThrowableOfType(() -> LlmResponse.fromJson(json),
          InvalidRequestException.class);
      assertThat(e).as(json).isNotNull();
      assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JSON);
      assertThat(e.getMessage()).contains("'choices' array with at least one choice");
    }
  }
}
