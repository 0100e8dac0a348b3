package dev.cachet.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cachet.llm.InvalidRequestException.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How an OpenAI chat-completions request body is read ({@link LlmRequest#fromJson}): what an
 * unusual or malformed body is answered with (a reason for programs, a message saying what was
 * wrong for people), and which parameters end up in the request and so in its key.
 */
class ChatRequestReadingTest {
  private static final String USER = "{\"role\":\"user\",\"content\":\"hi\"}";

  /** A valid body with these extra top-level fields (a leading comma included). */
  private static String body(String fields) {
    return "{\"model\":\"m\",\"messages\":[" + USER + "]" + fields + "}";
  }

  /** A valid body whose only message is this one. */
  private static String withMessage(String message) {
    return "{\"model\":\"m\",\"messages\":[" + message + "]}";
  }

  private static void assertRefused(String json, Reason reason, String... words) {
    InvalidRequestException e = catchThrowableOfType(() -> LlmRequest.fromJson(json),
        InvalidRequestException.class);
    assertThat(e).as("refused: %s", json).isNotNull();
    assertThat(e.reason()).as("reason for %s", json).isEqualTo(reason);
    assertThat(e.getMessage()).as("message for %s", json).contains(words);
  }

  @Test
  void aMissingNullOrBlankBodyIsMalformedAndSaysWhichBody() {
    assertRefused(null, Reason.MALFORMED_JSON, "request body is null");
    assertRefused("", Reason.MALFORMED_JSON, "request body is empty");
    assertRefused("  \n ", Reason.MALFORMED_JSON, "request body is empty");
    InvalidRequestException e = catchThrowableOfType(() -> LlmResponse.fromJson(null),
        InvalidRequestException.class);
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JSON);
    assertThat(e.getMessage()).contains("response body is null");
  }

  @Test
  void brokenJsonIsRefusedWithTheLineAndColumnOfTheError() {
    assertRefused("{\"model\":\"m\",\n \"messages\": }", Reason.MALFORMED_JSON,
        "request body is not valid JSON", "(line 2, column");
  }

  @Test
  void aBodyWithoutAMessagesArrayIsRefusedAsEmptyMessages() {
    for (String json : List.of("{\"model\":\"m\"}",
        "{\"model\":\"m\",\"messages\":{\"0\":" + USER + "}}",
        "{\"model\":\"m\",\"messages\":null}", "{\"model\":\"m\",\"messages\":[]}")) {
      assertRefused(json, Reason.EMPTY_MESSAGES, "non-empty 'messages' array");
    }
  }

  @Test
  void aMissingOrNullModelIsAMissingFieldAndANonStringModelAnInvalidOne() {
    assertRefused("{\"messages\":[" + USER + "]}", Reason.MISSING_FIELD,
        "The request has no 'model'");
    assertRefused("{\"model\":null,\"messages\":[" + USER + "]}", Reason.MISSING_FIELD,
        "The request has no 'model'");
    assertRefused("{\"model\":5,\"messages\":[" + USER + "]}", Reason.INVALID_FIELD,
        "'model' must be a string, got NUMBER");
  }

  @Test
  void aMessageThatIsNotAnObjectIsRefusedWithItsIndex() {
    assertRefused("{\"model\":\"m\",\"messages\":[" + USER + ",\"hello\"]}",
        Reason.MALFORMED_JSON, "messages[1] must be an object, got STRING");
  }

  @Test
  void aMessageWithoutAStringRoleIsRefusedWithItsIndex() {
    assertRefused(withMessage("{\"content\":\"hi\"}"), Reason.MISSING_FIELD,
        "messages[0] has no 'role'");
    assertRefused(withMessage("{\"role\":5,\"content\":\"hi\"}"), Reason.MISSING_FIELD,
        "messages[0] has no 'role'");
  }

  @Test
  void aNonStringNameIsNotCachedButANullNameIsNoName() {
    assertRefused(withMessage("{\"role\":\"user\",\"content\":\"hi\",\"name\":5}"),
        Reason.UNSUPPORTED, "messages[0].name is a NUMBER, not a string");
    assertRefused(withMessage("{\"role\":\"user\",\"content\":\"hi\",\"name\":{}}"),
        Reason.UNSUPPORTED, "messages[0].name is a OBJECT");
    Message nullName = LlmRequest.fromJson(
        withMessage("{\"role\":\"user\",\"content\":\"hi\",\"name\":null}")).messages().get(0);
    assertThat(nullName.name()).isNull();
    assertThat(LlmRequest.fromJson(withMessage(USER)).messages().get(0).name()).isNull();
    assertThat(LlmRequest.fromJson(
        withMessage("{\"role\":\"user\",\"content\":\"hi\",\"name\":\"ann\"}")).messages()
        .get(0).name()).isEqualTo("ann");
  }

  @Test
  void toolCallsThatAreNotAnArrayAreRefusedWithTheMessageIndex() {
    assertRefused(withMessage("{\"role\":\"assistant\",\"content\":\"ok\",\"tool_calls\":{}}"),
        Reason.INVALID_FIELD, "messages[0].tool_calls must be an array");
    Message none = LlmRequest.fromJson(
        withMessage("{\"role\":\"assistant\",\"content\":\"ok\",\"tool_calls\":null}"))
        .messages().get(0);
    assertThat(none.toolCalls()).isEmpty();
  }

  @Test
  void toolCallArgumentsAreKeptAsTextWhateverTheirJsonForm() {
    String json = withMessage("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
        + "{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"add\",\"arguments\":null}},"
        + "{\"id\":\"c2\",\"type\":\"function\",\"function\":{\"name\":\"add\"}},"
        + "{\"type\":\"function\",\"function\":{\"name\":\"add\",\"arguments\":\"{\\\"a\\\":1}\"}},"
        + "{\"id\":null,\"function\":{\"name\":\"add\",\"arguments\":{\"a\":1}}}]}");
    Message m = LlmRequest.fromJson(json).messages().get(0);
    assertThat(m.content()).isNull();
    assertThat(m.toolCalls()).containsExactly(new ToolCall("c1", "add", ""),
        new ToolCall("c2", "add", ""), new ToolCall(null, "add", "{\"a\":1}"),
        new ToolCall(null, "add", "{\"a\":1}"));
  }

  @Test
  void aNullOrMissingContentIsNoContentNotAnEmptyString() {
    String call = "\"tool_calls\":[{\"id\":\"c1\",\"function\":{\"name\":\"f\"}}]";
    for (String message : List.of("{\"role\":\"assistant\",\"content\":null," + call + "}",
        "{\"role\":\"assistant\"," + call + "}")) {
      assertThat(LlmRequest.fromJson(withMessage(message)).messages().get(0).content())
          .as(message).isNull();
    }
  }

  @Test
  void aSingleTextPartReadsAsItsTextAlone() {
    Message m = LlmRequest.fromJson(withMessage(
        "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is 2+3?\"}]}"))
        .messages().get(0);
    assertThat(m.content()).isEqualTo("What is 2+3?");
    // and it keys like the same text given as a string
    assertThat(LlmRequest.fromJson(withMessage(
        "{\"role\":\"user\",\"content\":\"What is 2+3?\"}")).messages().get(0)).isEqualTo(m);
  }

  @Test
  void contentPartsTheCacheCannotKeepFaithfullyAreUnsupported() {
    assertRefused(withMessage("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
        + "{\"type\":\"text\",\"text\":\"b\"}]}"), Reason.UNSUPPORTED,
        "messages[0] has 2 content parts", "only a single text part");
    assertRefused(withMessage("{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":{\"url\":\"http://x\"}}]}"), Reason.UNSUPPORTED,
        "messages[0] has a content part of type 'image_url'", "only text parts");
    assertRefused(withMessage("{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]}"),
        Reason.UNSUPPORTED, "content part of type ''");
  }

  @Test
  void aTextPartWithoutStringTextIsAnInvalidField() {
    assertRefused(withMessage("{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}"),
        Reason.INVALID_FIELD, "'text part' must be a string, got nothing");
    assertRefused(withMessage("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":5}]}"),
        Reason.INVALID_FIELD, "'text part' must be a string, got NUMBER");
  }

  @Test
  void anEmptyPartListIsEmptyContentRefusedWithTheMessageIndex() {
    assertRefused(withMessage("{\"role\":\"user\",\"content\":[]}"), Reason.EMPTY_MESSAGES,
        "messages[0]: ", "empty content");
  }

  @Test
  void contentOfAnotherTypeIsAnInvalidField() {
    assertRefused(withMessage("{\"role\":\"user\",\"content\":5}"), Reason.INVALID_FIELD,
        "messages[0].content must be a string or an array of parts");
  }

  @Test
  void nullSamplingParametersAreLeftUnsetNotRefused() {
    LlmRequest r = LlmRequest.fromJson(body(",\"temperature\":null,\"top_p\":null,"
        + "\"max_tokens\":null,\"max_completion_tokens\":null,\"stop\":null,\"seed\":null,"
        + "\"tools\":null,\"n\":null,\"logprobs\":false,\"top_logprobs\":null"));
    assertThat(r.temperature()).isNull();
    assertThat(r.topP()).isNull();
    assertThat(r.maxTokens()).isNull();
    assertThat(r.stop()).isEmpty();
    assertThat(r.seed()).isNull();
    assertThat(r.tools()).isEmpty();
    assertThat(r.extra()).isEmpty();
    assertThat(r).isEqualTo(LlmRequest.fromJson(body("")));
  }

  @Test
  void sampledParametersAreReadIntoTheRequest() {
    LlmRequest r = LlmRequest.fromJson(body(",\"temperature\":0.5,\"top_p\":0.9,"
        + "\"max_tokens\":100,\"seed\":42,\"n\":1"));
    assertThat(r.temperature()).isEqualTo(0.5);
    assertThat(r.topP()).isEqualTo(0.9);
    assertThat(r.maxTokens()).isEqualTo(100);
    assertThat(r.seed()).isEqualTo(42L);
    assertThat(r.extra()).isEmpty();
  }

  @Test
  void maxCompletionTokensStandsForMaxTokensAndIsKeyedApartWhenBothAreGiven() {
    LlmRequest only = LlmRequest.fromJson(body(",\"max_completion_tokens\":64"));
    assertThat(only.maxTokens()).isEqualTo(64);
    assertThat(only.extra()).isEmpty();
    assertThat(only).isEqualTo(LlmRequest.fromJson(body(",\"max_tokens\":64")));
    LlmRequest both = LlmRequest.fromJson(body(",\"max_tokens\":32,\"max_completion_tokens\":64"));
    assertThat(both.maxTokens()).isEqualTo(32);
    assertThat(both.extra()).containsOnlyKeys("max_completion_tokens");
    assertThat(both.extra().get("max_completion_tokens").asInt()).isEqualTo(64);
    assertThat(both).isNotEqualTo(LlmRequest.fromJson(body(",\"max_tokens\":32")));
  }

  @Test
  void tokenLimitsThatAreNotIntsAreRefusedNamingTheField() {
    for (String value : List.of("1.5", "\"100\"", "3000000000")) {
      assertRefused(body(",\"max_tokens\":" + value), Reason.INVALID_FIELD,
          "'max_tokens' must be an integer, got " + value);
      assertRefused(body(",\"max_completion_tokens\":" + value), Reason.INVALID_FIELD,
          "'max_completion_tokens' must be an integer");
    }
  }

  @Test
  void stopIsAStringOrAnArrayOfStrings() {
    assertThat(LlmRequest.fromJson(body(",\"stop\":\"END\"")).stop()).containsExactly("END");
    assertThat(LlmRequest.fromJson(body(",\"stop\":[\"a\",\"b\"]")).stop())
        .containsExactly("a", "b");
    assertRefused(body(",\"stop\":[\"a\",1]"), Reason.INVALID_FIELD,
        "'stop' must be a string, got NUMBER");
    assertRefused(body(",\"stop\":5"), Reason.INVALID_FIELD,
        "'stop' must be a string or an array of strings");
  }

  @Test
  void aSeedMustBeAnIntegerThatFitsInALong() {
    for (String value : List.of("1.5", "\"5\"", "123456789012345678901234567890")) {
      assertRefused(body(",\"seed\":" + value), Reason.INVALID_FIELD,
          "'seed' must be an integer, got " + value);
    }
  }

  @Test
  void toolsMustBeAnArray() {
    assertRefused(body(",\"tools\":{\"type\":\"function\"}"), Reason.INVALID_FIELD,
        "'tools' must be an array");
  }

  @Test
  void onlyOneAnswerPerRequestCanBeCached() {
    assertThatCode(() -> LlmRequest.fromJson(body(",\"n\":1"))).doesNotThrowAnyException();
    for (String value : List.of("2", "\"1\"", "1.5", "4294967297", "18446744073709551617")) {
      assertRefused(body(",\"n\":" + value), Reason.UNSUPPORTED,
          "n=" + value + " asks for several answers", "one answer per request");
    }
  }

  @Test
  void logprobsCannotBeAnsweredFromTheCache() {
    assertRefused(body(",\"logprobs\":true"), Reason.UNSUPPORTED, "logprobs are not kept");
    assertRefused(body(",\"top_logprobs\":2"), Reason.UNSUPPORTED, "logprobs are not kept");
    assertThatCode(() -> LlmRequest.fromJson(body(",\"logprobs\":false")))
        .doesNotThrowAnyException();
  }

  @Test
  void unknownParametersAreKeyedAndFieldsThatDoNotChangeTheAnswerAreNot() {
    LlmRequest r = LlmRequest.fromJson(body(",\"frequency_penalty\":0.5,\"stream\":true,"
        + "\"user\":\"u-1\",\"prompt_cache_key\":\"k\""));
    assertThat(r.extra()).containsOnlyKeys("frequency_penalty");
  }
}
