package dev.cachet.llm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the cache cannot key, but the upstream may accept, is forwarded uncached and said so
 * ({@code X-Cache: BYPASS} and {@code X-Cache-Reason}) instead of being refused by the proxy.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyBypassTest extends RunningProxy {
  private HttpResponse<String> post(String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/chat/completions"))
        .header("Authorization", "Bearer k").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Requests the upstream may accept though the cache cannot key them. */
  enum Uncacheable {
    PROMPT_OVER_A_MILLION_CHARACTERS("prompt-too-large", false,
        "[{\"role\":\"user\",\"content\":\"" + "word ".repeat(220_000) + "end\"}]"),
    EMPTY_USER_CONTENT("empty-message", false, "[{\"role\":\"user\",\"content\":\"\"}]"),
    UNKNOWN_ROLE("unknown-role", false,
        "[{\"role\":\"critic\",\"content\":\"be harsh\"},{\"role\":\"user\",\"content\":\"hi\"}]"),
    LEGACY_FUNCTION_CALL_TURN("empty-message", false,
        "[{\"role\":\"user\",\"content\":\"weather?\"},{\"role\":\"assistant\",\"content\":null,"
            + "\"function_call\":{\"name\":\"weather\",\"arguments\":\"{}\"}},"
            + "{\"role\":\"function\",\"name\":\"weather\",\"content\":\"sunny\"},"
            + "{\"role\":\"user\",\"content\":\"so?\"}]"),
    UNKNOWN_ROLE_STREAMED("unknown-role", true,
        "[{\"role\":\"critic\",\"content\":\"be harsh\"},{\"role\":\"user\",\"content\":\"hi\"}]");

    final String reason;
    final boolean stream;
    final String messages;

    Uncacheable(String reason, boolean stream, String messages) {
      this.reason = reason;
      this.stream = stream;
      this.messages = messages;
    }

    String body() {
      return "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"stream\":" + stream
          + ",\"messages\":" + messages + "}";
    }
  }

  @ParameterizedTest
  @EnumSource(Uncacheable.class)
  void isForwardedUncachedAndSaidSo(Uncacheable request) throws Exception {
    HttpResponse<String> first = post(request.body());
    HttpResponse<String> second = post(request.body());

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(first.headers().firstValue(CacheStatus.HEADER)).hasValue("BYPASS");
    assertThat(first.headers().firstValue(CacheStatus.REASON_HEADER)).hasValue(request.reason);
    assertThat(first.body()).as("the upstream's answer").contains("You ");
    if (request.stream) {
      assertThat(first.body()).endsWith("data: [DONE]\n\n");
    }
    assertThat(second.headers().firstValue(CacheStatus.HEADER)).as("never stored")
        .hasValue("BYPASS");
    assertThat(upstream.chatCalls).hasValue(2);
  }

  @Test
  void anAnswerLargerThanTheProxyBuffersIsPassedOnWholeAndNotStored() throws Exception {
    proxy.close();
    proxy = CachingProxy.builder(upstream.uri()).port(0).cachet(cachet).maxResponseBytes(1024)
        .build().start();
    String question = "long ".repeat(400).strip();
    String body = "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"" + question + "\"}]}";

    HttpResponse<String> first = post(body);
    HttpResponse<String> second = post(body);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue(CacheStatus.HEADER)).hasValue("BYPASS");
    assertThat(first.headers().firstValue(CacheStatus.REASON_HEADER))
        .hasValue("response-too-large");
    JsonNode answer = FakeUpstream.JSON.readTree(first.body());
    assertThat(answer.path("choices").path(0).path("message").path("content").asText())
        .isEqualTo(FakeUpstream.answerTo(question));
    assertThat(second.headers().firstValue(CacheStatus.HEADER)).hasValue("BYPASS");
    assertThat(upstream.chatCalls).hasValue(2);
  }
}
