package dev.cachet.llm.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import dev.cachet.Cachet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The proxy end to end: the official OpenAI Java client talks to it over loopback, and it talks
 * to a fake upstream that answers deterministically after a delay.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CachingProxyTest {
  private static final String MODEL = "gpt-4o-mini";

  private FakeUpstream upstream;
  private Cachet cachet;
  private CachingProxy proxy;
  private final List<ProxyEvent> events = new CopyOnWriteArrayList<>();
  private final List<OpenAIClient> clients = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();

  @BeforeEach
  void start() throws IOException {
    upstream = new FakeUpstream();
    cachet = Cachet.create();
    proxy = startProxy(CachingProxy.builder(upstream.uri()));
  }

  private CachingProxy startProxy(CachingProxy.Builder builder) throws IOException {
    return builder.port(0).cachet(cachet).maxRequestBytes(64 * 1024).listener(events::add)
        .build().start();
  }

  @AfterEach
  void stop() {
    clients.forEach(OpenAIClient::close);
    proxy.close();
    upstream.close();
    cachet.close();
  }

  private OpenAIClient client(String apiKey) {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(proxy.baseUrl().toString())
        .apiKey(apiKey)
        // The SDK retries 429 and 5xx by default; the tests count every upstream call.
        .maxRetries(0).build();
    clients.add(client);
    return client;
  }

  private static ChatCompletionCreateParams ask(String question) {
    // Temperature 0: a sampled request (the default temperature is 1) is forwarded every time.
    return ChatCompletionCreateParams.builder().model(MODEL).temperature(0.0)
        .addSystemMessage("You answer briefly.").addUserMessage(question).build();
  }

  private static String text(ChatCompletion completion) {
    return completion.choices().get(0).message().content().orElseThrow();
  }

  private static String xCache(com.openai.core.http.HttpResponse response) {
    return String.join(",", response.headers().values(CacheStatus.HEADER));
  }

  private static String joined(StreamResponse<ChatCompletionChunk> stream) {
    return stream.stream().flatMap(c -> c.choices().stream())
        .map(c -> c.delta().content().orElse("")).collect(Collectors.joining());
  }

  /** A raw POST to the proxy, to see exactly what it sends. */
  private HttpResponse<String> post(String apiKey, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
            URI.create(proxy.baseUrl() + "/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A raw POST of bytes as they are, such as a body that is not UTF-8. */
  private HttpResponse<String> postBytes(byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/chat/completions"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer k1")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String body(String question, boolean stream) {
    return "{\"model\":\"" + MODEL + "\",\"temperature\":0,\"stream\":" + stream
        + ",\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"" + question + "\"}]}";
  }

  @Test
  void aMissThenAnExactHitThroughTheOfficialClient() {
    OpenAIClient client = client("k1");
    String question = "What does a cache do?";

    HttpResponseFor<ChatCompletion> first =
        client.chat().completions().withRawResponse().create(ask(question));
    HttpResponseFor<ChatCompletion> second =
        client.chat().completions().withRawResponse().create(ask(question));

    assertThat(xCache(first)).isEqualTo("MISS");
    assertThat(xCache(second)).isEqualTo("HIT");
    assertThat(text(first.parse())).isEqualTo(FakeUpstream.answerTo(question));
    assertThat(text(second.parse())).isEqualTo(text(first.parse()));
    assertThat(second.parse().model()).isEqualTo(MODEL);
    assertThat(upstream.chatCalls).hasValue(1);
    assertThat(upstream.lastAuthorization).as("the key still reaches the upstream")
        .isEqualTo("Bearer k1");
    awaitEvents(2);
    assertThat(events).extracting(ProxyEvent::status)
        .containsExactly(CacheStatus.MISS, CacheStatus.HIT);
  }

  @Test
  void theXCacheHeaderIsOnTheWireForARawClientToo() throws Exception {
    HttpResponse<String> miss = post("k1", body("Raw question", false));
    HttpResponse<String> hit = post("k1", body("Raw question", false));

    assertThat(miss.statusCode()).isEqualTo(200);
    assertThat(miss.headers().allValues("X-Cache")).containsExactly("MISS");
    assertThat(hit.headers().allValues("X-Cache")).containsExactly("HIT");
    assertThat(hit.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode answer = FakeUpstream.JSON.readTree(hit.body());
    assertThat(answer.path("object").asText()).isEqualTo("chat.completion");
    assertThat(answer.path("choices").path(0).path("message").path("content").asText())
        .isEqualTo(FakeUpstream.answerTo("Raw question"));
    assertThat(upstream.chatCalls).hasValue(1);
  }

  @Test
  void theFirstStreamedChunkReachesTheClientBeforeTheUpstreamHasFinished() {
    OpenAIClient client = client("k1");
    CountDownLatch gate = new CountDownLatch(1);
    upstream.gate = gate;
    String question = "Stream me an answer about caches";

    try (StreamResponse<ChatCompletionChunk> stream =
             client.chat().completions().createStreaming(ask(question))) {
      Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
      StringBuilder text = new StringBuilder();
      // Read until the first real token: the upstream is held at its gate meanwhile, so it
      // cannot have finished, and the token must have been passed on without waiting.
      while (text.length() == 0) {
        text.append(chunks.next().choices().get(0).delta().content().orElse(""));
      }
      assertThat(upstream.streamFinished.getCount()).as("upstream still writing").isEqualTo(1);
      assertThat(text.toString()).isEqualTo("You ");
      gate.countDown();
      chunks.forEachRemaining(c -> c.choices().forEach(
          choice -> text.append(choice.delta().content().orElse(""))));
      assertThat(text.toString()).isEqualTo(FakeUpstream.answerTo(question));
    }
    assertThat(upstream.chatCalls).hasValue(1);
  }

  @Test
  void aStoredStreamIsReplayedAsAStream() throws Exception {
    OpenAIClient client = client("k1");
    String question = "Tell me about replay";
    try (StreamResponse<ChatCompletionChunk> stream =
             client.chat().completions().createStreaming(ask(question))) {
      assertThat(joined(stream)).isEqualTo(FakeUpstream.answerTo(question));
    }
    awaitEvents(1);

    HttpResponseFor<StreamResponse<ChatCompletionChunk>> replay =
        client.chat().completions().withRawResponse().createStreaming(ask(question));
    assertThat(xCache(replay)).isEqualTo("HIT");
    try (StreamResponse<ChatCompletionChunk> stream = replay.parse()) {
      List<ChatCompletionChunk> chunks = stream.stream().collect(Collectors.toList());
      assertThat(chunks).hasSizeGreaterThan(2);
      assertThat(chunks.stream().flatMap(c -> c.choices().stream())
          .map(c -> c.delta().content().orElse("")).collect(Collectors.joining()))
          .isEqualTo(FakeUpstream.answerTo(question));
      assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason())
          .hasValueSatisfying(r -> assertThat(r.asString()).isEqualTo("stop"));
    }
    assertThat(upstream.chatCalls).hasValue(1);

    // On the wire: server-sent events, ending with [DONE].
    HttpResponse<String> raw = post("k1", "{\"model\":\"" + MODEL + "\",\"stream\":true,"
        + "\"temperature\":0.0,"
        + "\"messages\":[{\"role\":\"system\",\"content\":\"You answer briefly.\"},"
        + "{\"role\":\"user\",\"content\":\"" + question + "\"}]}");
    assertThat(raw.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(raw.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/event-stream");
    assertThat(raw.body()).startsWith("data: {").endsWith("data: [DONE]\n\n");
  }

  @Test
  void aPlainAnswerIsReplayedAsAStreamAndAStreamedOneAsJson() {
    OpenAIClient client = client("k1");
    client.chat().completions().create(ask("First plain"));
    try (StreamResponse<ChatCompletionChunk> stream =
             client.chat().completions().createStreaming(ask("First plain"))) {
      assertThat(joined(stream)).isEqualTo(FakeUpstream.answerTo("First plain"));
    }
    try (StreamResponse<ChatCompletionChunk> stream =
             client.chat().completions().createStreaming(ask("First streamed"))) {
      joined(stream);
    }
    awaitEvents(3);
    assertThat(text(client.chat().completions().create(ask("First streamed"))))
        .isEqualTo(FakeUpstream.answerTo("First streamed"));
    assertThat(upstream.chatCalls).hasValue(2);
  }

  @ParameterizedTest
  @EnumSource(value = FakeUpstream.Mode.class, names = {"ERROR_500", "ERROR_429", "ERROR_400"})
  void upstreamErrorsPassThroughUnchangedAndAreNeverStored(FakeUpstream.Mode mode)
      throws Exception {
    upstream.mode = mode;
    HttpResponse<String> first = post("k1", body("Will fail", false));
    HttpResponse<String> second = post("k1", body("Will fail", false));

    int expected = switch (mode) {
      case ERROR_500 -> 500;
      case ERROR_429 -> 429;
      default -> 400;
    };
    assertThat(first.statusCode()).isEqualTo(expected);
    assertThat(first.body()).isEqualTo(second.body()).contains("\"error\"")
        .doesNotContain("Cachet");
    assertThat(first.headers().allValues("X-Cache")).containsExactly("MISS");
    if (mode == FakeUpstream.Mode.ERROR_429) {
      assertThat(first.headers().firstValue("Retry-After")).hasValue("7");
    }
    assertThat(upstream.chatCalls).as("the second call reached the upstream again").hasValue(2);

    // The official client sees the error it would see from the upstream itself.
    Class<? extends OpenAIServiceException> type = switch (mode) {
      case ERROR_500 -> InternalServerException.class;
      case ERROR_429 -> RateLimitException.class;
      default -> BadRequestException.class;
    };
    assertThatThrownBy(() -> client("k1").chat().completions().create(ask("Will fail")))
        .isInstanceOf(type);

    // And once the upstream recovers, the answer is computed, not an error replayed.
    upstream.mode = FakeUpstream.Mode.OK;
    HttpResponse<String> recovered = post("k1", body("Will fail", false));
    assertThat(recovered.statusCode()).isEqualTo(200);
    assertThat(recovered.headers().firstValue("X-Cache")).hasValue("MISS");
  }

  @ParameterizedTest
  @EnumSource(value = FakeUpstream.Mode.class, names = {"ERROR_500", "ERROR_429"})
  void streamedRequestsGetUpstreamErrorsUnchangedToo(FakeUpstream.Mode mode) throws Exception {
    upstream.mode = mode;
    HttpResponse<String> first = post("k1", body("Stream will fail", true));
    assertThat(first.statusCode()).isEqualTo(mode == FakeUpstream.Mode.ERROR_500 ? 500 : 429);
    assertThat(first.body()).contains("\"error\"");
    upstream.mode = FakeUpstream.Mode.OK;
    HttpResponse<String> second = post("k1", body("Stream will fail", true));
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(upstream.chatCalls).hasValue(2);
  }

  @ParameterizedTest
  @EnumSource(value = FakeUpstream.Mode.class, names = {"CUT_STREAM", "ABORT_STREAM"})
  void anIncompleteStreamIsPassedOnButNeverStored(FakeUpstream.Mode mode) throws Exception {
    upstream.mode = mode;
    try {
      HttpResponse<String> cut = post("k1", body("Cut me off", true));
      assertThat(cut.body()).contains("You ").doesNotContain("[DONE]");
    } catch (IOException e) {
      // ABORT_STREAM: the proxy drops the connection as the upstream did, and the client
      // knows the answer is incomplete.
      assertThat(mode).isEqualTo(FakeUpstream.Mode.ABORT_STREAM);
    }
    awaitEvents(1);
    assertThat(events.get(0).note()).contains("not stored");

    upstream.mode = FakeUpstream.Mode.OK;
    HttpResponse<String> next = post("k1", body("Cut me off", true));
    assertThat(next.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(next.body()).endsWith("data: [DONE]\n\n");
    assertThat(upstream.chatCalls).hasValue(2);
  }

  @Test
  void sampledRequestsAreForwardedEveryTimeUnlessTheProxyServesThem() throws Exception {
    String sampled = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Write me a poem\"}]}";
    assertThat(post("k1", sampled).headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(post("k1", sampled).headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(upstream.chatCalls).hasValue(2);
    awaitEvents(2);
    assertThat(events.get(1).note()).contains("temperature");

    proxy.close();
    proxy = startProxy(CachingProxy.builder(upstream.uri()).serveSampled(true));
    assertThat(post("k1", sampled).headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(post("k1", sampled).headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(upstream.chatCalls).hasValue(3);
  }

  @Test
  void concurrentIdenticalRequestsMakeOneUpstreamCall() {
    upstream.delay = Duration.ofMillis(300);
    HttpRequest request = HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/chat/completions"))
        .header("Authorization", "Bearer k1")
        .POST(HttpRequest.BodyPublishers.ofString(body("Everyone asks this", false))).build();
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    List<HttpResponse<String>> responses = calls.stream()
        .map(java.util.concurrent.CompletableFuture::join).collect(Collectors.toList());

    assertThat(upstream.chatCalls).hasValue(1);
    assertThat(responses).extracting(r -> r.headers().firstValue("X-Cache").orElseThrow())
        .containsOnlyOnce("MISS").containsOnly("MISS", "HIT");
    assertThat(responses).allSatisfy(r -> assertThat(r.body())
        .contains(FakeUpstream.answerTo("Everyone asks this")));
  }

  @Test
  void twoApiKeysNeverShareAnAnswer() {
    String question = "Which tenant am I?";
    HttpResponseFor<ChatCompletion> a1 =
        client("key-a").chat().completions().withRawResponse().create(ask(question));
    HttpResponseFor<ChatCompletion> b1 =
        client("key-b").chat().completions().withRawResponse().create(ask(question));
    HttpResponseFor<ChatCompletion> a2 =
        client("key-a").chat().completions().withRawResponse().create(ask(question));

    assertThat(xCache(a1)).isEqualTo("MISS");
    assertThat(xCache(b1)).as("another key is another tenant").isEqualTo("MISS");
    assertThat(xCache(a2)).isEqualTo("HIT");
    assertThat(upstream.chatCalls).hasValue(2);
  }

  @Test
  void requestsWithoutAKeyShareTheAnonymousTenantOnly() throws Exception {
    assertThat(post(null, body("Anonymous", false)).headers().firstValue("X-Cache"))
        .hasValue("MISS");
    assertThat(post(null, body("Anonymous", false)).headers().firstValue("X-Cache"))
        .hasValue("HIT");
    assertThat(post("k1", body("Anonymous", false)).headers().firstValue("X-Cache"))
        .hasValue("MISS");
  }

  enum BadInput {
    MALFORMED_JSON("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",", 400,
        "not valid JSON"),
    MISSING_MODEL("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400,
        "model"),
    OUT_OF_RANGE("{\"model\":\"gpt-4o-mini\",\"temperature\":7,\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"hi\"}]}", 400, "temperature must be between 0 and 2"),
    NOT_UTF_8("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"caf\u00e9\"}]}", 400, "not valid UTF-8"),
    NOT_AN_OBJECT("[1,2,3]", 400, "JSON object"),
    HUGE_PROMPT("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + "word ".repeat(20_000) + "\"}]}", 413, "larger than the proxy's limit");

    final String body;
    final int status;
    final String message;

    BadInput(String body, int status, String message) {
      this.body = body;
      this.status = status;
      this.message = message;
    }
  }

  @ParameterizedTest
  @EnumSource(BadInput.class)
  void badInputGetsAClearOpenAiStyleErrorAndNothingIsStored(BadInput input) throws Exception {
    HttpResponse<String> response = input == BadInput.NOT_UTF_8
        ? postBytes(input.body.getBytes(StandardCharsets.ISO_8859_1))
        : post("k1", input.body);

    assertThat(response.statusCode()).isEqualTo(input.status);
    assertThat(response.headers().firstValue("X-Cache")).hasValue("MISS");
    JsonNode error = FakeUpstream.JSON.readTree(response.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asText()).contains(input.message);
    assertThat(upstream.chatCalls).as("never forwarded").hasValue(0);
    assertThat(input == BadInput.NOT_UTF_8
        ? postBytes(input.body.getBytes(StandardCharsets.ISO_8859_1)).statusCode()
        : post("k1", input.body).statusCode()).as("and never stored")
        .isEqualTo(input.status);
    assertThat(events).allSatisfy(e -> assertThat(e.status()).isEqualTo(CacheStatus.MISS));
  }

  @Test
  void theOfficialClientSeesTheProxysRefusalAsABadRequest() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(MODEL)
        .temperature(7.0).addUserMessage("Too hot?").build();
    assertThatThrownBy(() -> client("k1").chat().completions().create(params))
        .isInstanceOfSatisfying(BadRequestException.class,
            e -> assertThat(e.type()).hasValue("invalid_request_error"));
  }

  @Test
  void otherPathsPassThroughUncached() throws Exception {
    OpenAIClient client = client("k1");
    List<Model> first = client.models().list().data();
    List<Model> second = client.models().list().data();
    assertThat(first).extracting(Model::id).containsExactly("fake-model");
    assertThat(second).extracting(Model::id).containsExactly("fake-model");
    assertThat(upstream.otherCalls).as("never cached").hasValue(2);

    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(
        URI.create(proxy.baseUrl() + "/nothing/here?x=1")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(missing.headers().firstValue("X-Fake")).hasValue("not-found");
    assertThat(missing.body()).contains("Unknown path /v1/nothing/here");
  }

  @Test
  void anUnreachableUpstreamIsA502WithAnOpenAiStyleError() throws Exception {
    upstream.close();
    HttpResponse<String> response = post("k1", body("Anyone there?", false));
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(FakeUpstream.JSON.readTree(response.body()).path("error").path("message")
        .asText()).contains("could not reach the upstream " + upstream.uri());
  }

  @Test
  void theApiKeyIsNeverPartOfWhatTheProxyReports() throws Exception {
    post("sk-secret-key", body("Private question", false));
    post("sk-secret-key", body("Private question", false));
    awaitEvents(2);
    assertThat(events).hasSize(2);
    assertThat(events.toString()).doesNotContain("sk-secret-key").doesNotContain("Private");
  }

  /** Waits for the proxy's report of the last requests. */
  private void awaitEvents(int count) {
    awaitEvents(events, count);
  }

  static void awaitEvents(List<ProxyEvent> events, int count) {
    // The proxy reports a request once it has stored (or refused) the answer, which may be a
    // moment after the client read the last byte.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (events.size() < count && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    assertThat(events).hasSizeGreaterThanOrEqualTo(count);
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
