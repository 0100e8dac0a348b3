package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachet.llm.InvalidRequestException.Reason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link LlmRequest.Builder} accepts, refuses and keeps: every field a caller sets reaches
 * the request (and so the key), a request cannot be changed through what it was built from or
 * what it hands out, and out-of-range parameters are refused at their exact limits
 * (docs/TESTING.md: written for mutation testing of {@link LlmRequest}).
 */
class LlmRequestBuilderTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static LlmRequest.Builder base() {
    return LlmRequest.builder("m").user("hi");
  }

  private static String key(LlmRequest r) {
    return RequestKeys.exactDigest(r, "t");
  }

  private static void assertInvalid(LlmRequest.Builder b, Reason reason, String message) {
    assertThatThrownBy(b::build).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((InvalidRequestException) e).reason()).isEqualTo(reason));
  }

  @Test
  void everyFieldSetOnTheBuilderIsKeptByTheRequest() {
    ObjectNode tool = NODES.objectNode().put("type", "function");
    tool.putObject("function").put("name", "f");
    LlmRequest r = LlmRequest.builder("gpt").system("Be terse.").user("q").assistant("a")
        .user("q2").temperature(0.5).topP(0.9).maxTokens(12).stop(List.of("END", "STOP"))
        .seed(42L).tool(tool).toolChoice("required")
        .responseFormat(NODES.objectNode().put("type", "json_object"))
        .extra("frequency_penalty", NODES.numberNode(0.5)).build();

    assertThat(r.model()).isEqualTo("gpt");
    assertThat(r.messages()).extracting(Message::role)
        .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER);
    assertThat(r.messages()).extracting(Message::content)
        .containsExactly("Be terse.", "q", "a", "q2");
    assertThat(r.temperature()).isEqualTo(0.5);
    assertThat(r.topP()).isEqualTo(0.9);
    assertThat(r.maxTokens()).isEqualTo(12);
    assertThat(r.stop()).containsExactly("END", "STOP");
    assertThat(r.seed()).isEqualTo(42L);
    assertThat(r.tools()).containsExactly(tool);
    assertThat(r.toolChoice()).isEqualTo(NODES.textNode("required"));
    assertThat(r.responseFormat()).isEqualTo(NODES.objectNode().put("type", "json_object"));
    assertThat(r.extra()).containsOnlyKeys("frequency_penalty");
    assertThat(r.extra().get("frequency_penalty").doubleValue()).isEqualTo(0.5);
    assertThat(r.lastUserText()).isEqualTo("q2");
  }

  @Test
  void aCopyFromToBuilderIsTheSameRequestAndItsChangesAreADifferentOne() {
    LlmRequest r = LlmRequest.builder("gpt").system("s").user("q").temperature(0.5).topP(0.9)
        .maxTokens(12).stop(List.of("END")).seed(42L).tool("f", "does f", "{\"type\":\"object\"}")
        .toolChoice("auto").responseFormat(NODES.objectNode().put("type", "json_object"))
        .extra("logit_bias", NODES.objectNode().put("50256", -100)).build();

    LlmRequest copy = r.toBuilder().build();
    assertThat(copy).isEqualTo(r).hasSameHashCodeAs(r);
    assertThat(key(copy)).isEqualTo(key(r));
    assertThat(copy.toJson()).isEqualTo(r.toJson());
    assertThat(copy.extra()).isEqualTo(r.extra());

    List<LlmRequest> changed = List.of(
        r.toBuilder().model("gpt-2").build(),
        r.toBuilder().user("more").build(),
        r.toBuilder().temperature(0.6).build(),
        r.toBuilder().topP(0.8).build(),
        r.toBuilder().maxTokens(13).build(),
        r.toBuilder().stop(List.of("END", "X")).build(),
        r.toBuilder().seed(43L).build(),
        r.toBuilder().tool("g", null, null).build(),
        r.toBuilder().toolChoice("none").build(),
        r.toBuilder().responseFormat(NODES.objectNode().put("type", "text")).build(),
        r.toBuilder().extra("logit_bias", NODES.objectNode().put("50256", 100)).build(),
        r.toBuilder().extra("presence_penalty", NODES.numberNode(1)).build());
    for (LlmRequest other : changed) {
      assertThat(other).isNotEqualTo(r);
      assertThat(other.hashCode()).isNotEqualTo(r.hashCode());
      assertThat(key(other)).isNotEqualTo(key(r));
    }
    assertThat(r).isNotEqualTo("not a request").isNotEqualTo(null);
  }

  @Test
  void replacingListsReplacesThemInsteadOfAppending() {
    LlmRequest.Builder b = LlmRequest.builder("m").user("first").stop(List.of("A"))
        .tool("f", null, null);
    b.messages(List.of(Message.user("second"))).stop(List.of("B"))
        .tools(List.of(NODES.objectNode().put("type", "function")));
    LlmRequest r = b.build();
    assertThat(r.messages()).extracting(Message::content).containsExactly("second");
    assertThat(r.stop()).containsExactly("B");
    assertThat(r.tools()).containsExactly(NODES.objectNode().put("type", "function"));

    LlmRequest noStop = base().stop(List.of("A")).stop(null).build();
    assertThat(noStop.stop()).isEmpty();
    assertThat(key(noStop)).isEqualTo(key(base().build()));
  }

  @Test
  void aFunctionToolHasItsNameAndOnlyTheDescriptionAndSchemaGiven() {
    JsonNode full = base().tool("add", "adds", "{\"type\":\"object\"}").build().tools().get(0);
    assertThat(full.get("type").asText()).isEqualTo("function");
    assertThat(full.get("function").get("name").asText()).isEqualTo("add");
    assertThat(full.get("function").get("description").asText()).isEqualTo("adds");
    assertThat(full.get("function").get("parameters"))
        .isEqualTo(NODES.objectNode().put("type", "object"));

    JsonNode bare = base().tool("add", null, null).build().tools().get(0);
    assertThat(bare.get("function").has("description")).isFalse();
    assertThat(bare.get("function").has("parameters")).isFalse();

    assertThatThrownBy(() -> base().tool("add", null, "{not json"))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void nullOrJsonNullClearsToolChoiceResponseFormatAndExtraParameters() {
    LlmRequest r = base().toolChoice("auto").toolChoice((String) null)
        .responseFormat(NODES.objectNode().put("type", "json_object")).responseFormat(null)
        .extra("a", NODES.numberNode(1)).extra("a", null)
        .extra("b", NODES.numberNode(2)).extra("b", NullNode.getInstance()).build();
    assertThat(r.toolChoice()).isNull();
    assertThat(r.responseFormat()).isNull();
    assertThat(r.extra()).isEmpty();
    assertThat(key(r)).isEqualTo(key(base().build()));

    LlmRequest jsonNulls = base().toolChoice(NODES.textNode("auto"))
        .toolChoice(NullNode.getInstance())
        .responseFormat(NODES.objectNode()).responseFormat(NullNode.getInstance()).build();
    assertThat(jsonNulls.toolChoice()).isNull();
    assertThat(jsonNulls.responseFormat()).isNull();
    assertThat(key(jsonNulls)).isEqualTo(key(base().build()));
    assertThatThrownBy(() -> base().extra(null, NODES.numberNode(1)))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aRequestCannotBeChangedThroughWhatItWasBuiltFromOrWhatItHandsOut() {
    ObjectNode tool = NODES.objectNode().put("type", "function");
    ObjectNode choice = NODES.objectNode().put("type", "function");
    ObjectNode format = NODES.objectNode().put("type", "json_object");
    ObjectNode bias = NODES.objectNode().put("1", 1);
    List<String> stop = new ArrayList<>(List.of("END"));
    LlmRequest.Builder b = base().tool(tool).toolChoice(choice).responseFormat(format)
        .extra("logit_bias", bias).stop(stop);
    LlmRequest r = b.build();
    String before = key(r);

    tool.put("type", "changed");
    choice.put("type", "changed");
    format.put("type", "changed");
    bias.put("1", 2);
    stop.add("MORE");
    b.user("after build").seed(1L);
    ((ObjectNode) r.tools().get(0)).put("type", "changed");
    ((ObjectNode) r.toolChoice()).put("type", "changed");
    ((ObjectNode) r.responseFormat()).put("type", "changed");
    ((ObjectNode) r.extra().get("logit_bias")).put("1", 3);

    assertThat(key(r)).isEqualTo(before);
    assertThat(r.tools().get(0).get("type").asText()).isEqualTo("function");
    assertThat(r.toolChoice().get("type").asText()).isEqualTo("function");
    assertThat(r.responseFormat().get("type").asText()).isEqualTo("json_object");
    assertThat(r.extra().get("logit_bias").get("1").asInt()).isEqualTo(1);
    assertThat(r.stop()).containsExactly("END");
    assertThat(r.messages()).hasSize(1);
    assertThatThrownBy(() -> r.extra().put("x", NODES.numberNode(1)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.messages().add(Message.user("x")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void extraParametersAreHandedOutSortedByName() {
    LlmRequest r = base().extra("presence_penalty", NODES.numberNode(1))
        .extra("frequency_penalty", NODES.numberNode(2)).extra("logit_bias", NODES.objectNode())
        .build();
    assertThat(r.extra().keySet())
        .containsExactly("frequency_penalty", "logit_bias", "presence_penalty");
  }

  @Test
  void aRequestNeedsAModelAndAMessage() {
    assertInvalid(LlmRequest.builder(null).user("hi"), Reason.MISSING_FIELD, "model");
    assertInvalid(LlmRequest.builder(" ").user("hi"), Reason.MISSING_FIELD, "model");
    assertInvalid(LlmRequest.builder("m"), Reason.EMPTY_MESSAGES, "at least one message");
    assertThatThrownBy(() -> LlmRequest.builder("m").message(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void parametersAreAcceptedUpToTheirLimitsAndRefusedBeyond() {
    assertThat(base().temperature(0.0).build().temperature()).isEqualTo(0.0);
    assertThat(base().temperature(2.0).build().temperature()).isEqualTo(2.0);
    assertInvalid(base().temperature(-0.01), Reason.INVALID_FIELD, "temperature");
    assertInvalid(base().temperature(2.01), Reason.INVALID_FIELD, "got 2.01");
    assertInvalid(base().temperature(Double.NaN), Reason.INVALID_FIELD, "temperature");

    assertThat(base().topP(0.0).build().topP()).isEqualTo(0.0);
    assertThat(base().topP(1.0).build().topP()).isEqualTo(1.0);
    assertInvalid(base().topP(-0.01), Reason.INVALID_FIELD, "top_p");
    assertInvalid(base().topP(1.01), Reason.INVALID_FIELD, "got 1.01");

    assertThat(base().maxTokens(1).build().maxTokens()).isEqualTo(1);
    assertInvalid(base().maxTokens(0), Reason.INVALID_FIELD, "max_tokens must be positive");
    assertInvalid(base().maxTokens(-5), Reason.INVALID_FIELD, "got -5");

    assertThat(base().stop(List.of("x")).build().stop()).containsExactly("x");
    assertInvalid(base().stop(List.of("x", "")), Reason.INVALID_FIELD, "stop sequences");
    assertInvalid(base().stop(java.util.Arrays.asList("x", null)), Reason.INVALID_FIELD,
        "stop sequences");

    LlmRequest unset = base().build();
    assertThat(unset.temperature()).isNull();
    assertThat(unset.topP()).isNull();
    assertThat(unset.maxTokens()).isNull();
    assertThat(unset.seed()).isNull();
    assertThat(unset.stop()).isEmpty();
    assertThat(unset.tools()).isEmpty();
  }

  @Test
  void lastUserTextIsOnlyTheTextOfAFinalUserMessage() {
    assertThat(base().build().lastUserText()).isEqualTo("hi");
    assertThat(base().assistant("hello").build().lastUserText()).isNull();
    assertThat(base().system("rules").build().lastUserText()).isNull();
  }

  @Test
  void promptSizeCountsMessagesAndToolDefinitions() {
    ObjectNode tool = NODES.objectNode().put("type", "function");
    LlmRequest r = LlmRequest.builder("m").system("abc").user("de").tool(tool).build();
    assertThat(r.promptChars()).isEqualTo(3 + 2 + tool.toString().length());
    assertThat(base().build().promptChars()).isEqualTo(2);
  }

  @Test
  void toStringNamesTheModelMessagesAndParameters() {
    LlmRequest r = LlmRequest.builder("gpt").user("hi").temperature(0.5).seed(7L)
        .tool("f", null, null).build();
    assertThat(r.toString()).contains("model=gpt", "hi", "temperature=0.5", "seed=7",
        "tools=1");
  }
}
