package dev.cachet.llm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.cachet.Cachet;
import dev.cachet.llm.LlmCache;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Semantic hits through the proxy, with the library's bundled local embedding model: a
 * paraphrase is answered from the cache, a near-miss is not.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SemanticProxyTest {
  private static Cachet cachet;
  /** Shared: loading the embedding model is the slow part, and entries differ per test. */
  private static LlmCache llm;

  private FakeUpstream upstream;
  private CachingProxy proxy;
  private final List<ProxyEvent> events = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();

  @BeforeAll
  static void buildCache() {
    cachet = Cachet.create();
    llm = LlmCache.builder(cachet).semantic().build();
  }

  @AfterAll
  static void closeCache() {
    cachet.close();
  }

  @BeforeEach
  void start() throws IOException {
    upstream = new FakeUpstream();
    upstream.delay = java.time.Duration.ofMillis(20);
    proxy = CachingProxy.builder(upstream.uri()).port(0).cache(llm).listener(events::add)
        .build().start();
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
  }

  private HttpResponse<String> ask(String apiKey, String question, boolean stream)
      throws Exception {
    String body = "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"system\",\"content\":\"Answer in one sentence.\"},"
        + "{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
    return http.send(HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/chat/completions"))
        .header("Authorization", "Bearer " + apiKey)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aParaphraseIsASemanticHitWithItsSimilarity() {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(proxy.baseUrl().toString())
        .apiKey("k1").maxRetries(0).build();
    try {
      ChatCompletionCreateParams.Builder base = ChatCompletionCreateParams.builder()
          .model("gpt-4o-mini").temperature(0.0).addSystemMessage("Answer in one sentence.");
      HttpResponseFor<ChatCompletion> first = client.chat().completions().withRawResponse()
          .create(base.build().toBuilder().addUserMessage("What is the capital of France?")
              .build());
      HttpResponseFor<ChatCompletion> second = client.chat().completions().withRawResponse()
          .create(base.build().toBuilder()
              .addUserMessage("Which city is the capital of France?").build());

      assertThat(first.headers().values("X-Cache")).containsExactly("MISS");
      assertThat(second.headers().values("X-Cache")).containsExactly("SEMANTIC-HIT");
      assertThat(Double.parseDouble(second.headers().values("X-Cache-Similarity").get(0)))
          .isBetween(LlmCache.DEFAULT_SIMILARITY_THRESHOLD, 1.0);
      assertThat(second.parse().choices().get(0).message().content())
          .hasValue(FakeUpstream.answerTo("What is the capital of France?"));
      assertThat(upstream.chatCalls).hasValue(1);
      CachingProxyTest.awaitEvents(events, 2);
      assertThat(events.get(1).similarity()).isGreaterThan(0.8);
    } finally {
      client.close();
    }
  }

  @Test
  void aNearMissWithAnotherNumberIsComputed() throws Exception {
    assertThat(ask("k1", "How long do I boil 2 eggs?", false).headers()
        .firstValue("X-Cache")).hasValue("MISS");
    HttpResponse<String> other = ask("k1", "How long do I boil 3 eggs?", false);

    assertThat(other.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(other.body()).contains(FakeUpstream.answerTo("How long do I boil 3 eggs?"));
    assertThat(upstream.chatCalls).hasValue(2);
    CachingProxyTest.awaitEvents(events, 2);
    assertThat(events.get(1).note()).as("the rejection is reported, the stored prompt is not")
        .contains("guard rejected").doesNotContain("eggs").doesNotContain("boil");
  }

  @Test
  void aParaphraseFromAnotherTenantIsAMiss() throws Exception {
    ask("tenant-a", "How do I reverse a list in Python?", false);
    HttpResponse<String> b = ask("tenant-b", "What's the way to reverse a Python list?", false);
    assertThat(b.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(upstream.chatCalls).hasValue(2);
  }

  @Test
  void aSemanticHitIsReplayedAsAStream() throws Exception {
    ask("k1", "How do I center a div in CSS?", true);
    HttpResponse<String> replay = ask("k1", "What's the best way to center a div with CSS?",
        true);
    assertThat(replay.headers().firstValue("X-Cache")).hasValue("SEMANTIC-HIT");
    assertThat(replay.body()).startsWith("data: {").endsWith("data: [DONE]\n\n")
        .contains("\"finish_reason\":\"stop\"");
    assertThat(upstream.chatCalls).hasValue(1);
  }
}
