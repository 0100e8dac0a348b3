package dev.cachet.llm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cachet.Cachet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A slow or stalled upstream, and slow or vanishing clients, cannot hold the proxy: every wait
 * has a bound, and the client learns why its answer ended.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyTimeoutTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();
  private final List<ProxyEvent> events = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private FakeUpstream upstream;
  private Cachet cachet;
  private CachingProxy proxy;

  @BeforeEach
  void start() throws IOException {
    upstream = new FakeUpstream();
    cachet = Cachet.create();
  }

  private void startProxy(CachingProxy.Builder settings) throws IOException {
    proxy = settings.port(0).cachet(cachet).listener(events::add).build().start();
  }

  private CachingProxy.Builder settings() {
    return CachingProxy.builder(upstream.uri());
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (upstream.gate != null) {
      upstream.gate.countDown();
    }
    if (proxy != null) {
      proxy.close();
    }
    upstream.close();
    cachet.close();
  }

  private static String body(String question, boolean stream) {
    return "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
  }

  private HttpRequest post(String body) {
    return HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/chat/completions"))
        .header("Authorization", "Bearer k").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  /** Everything the client receives until the stream ends or the connection drops. */
  private static String readUntilTheEnd(InputStream in) {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[1024];
    try (in) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        received.write(buffer, 0, n);
      }
    } catch (IOException dropped) {
      // An answer cut off mid-stream ends this way; what arrived before is the point.
    }
    return received.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aStalledStreamIsCutOffAfterTheIdleTimeoutAndTheClientIsToldWhy() throws Exception {
    startProxy(settings().upstreamIdleTimeout(Duration.ofMillis(300)));
    upstream.gate = new CountDownLatch(1); // the stream stops after its first word

    HttpResponse<InputStream> response = http.send(post(body("Are you there?", true)),
        HttpResponse.BodyHandlers.ofInputStream());
    String received = readUntilTheEnd(response.body());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(received).contains("\"content\":\"You \"")
        .contains("upstream_timeout").contains("upstream idle timeout")
        .doesNotContain("[DONE]");
    CachingProxyTest.awaitEvents(events, 1);
    assertThat(events.get(0).note()).contains("stream cut off").contains("not stored");
  }

  @Test
  void aStalledPlainAnswerIsA504WithAnOpenAiStyleError() throws Exception {
    startProxy(settings().upstreamIdleTimeout(Duration.ofMillis(300)));
    upstream.mode = FakeUpstream.Mode.STALL_BODY;
    upstream.gate = new CountDownLatch(1);

    HttpResponse<String> response = http.send(post(body("Are you there?", false)),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(504);
    JsonNode error = FakeUpstream.JSON.readTree(response.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("upstream_timeout");
    assertThat(error.path("message").asText()).contains("upstream idle timeout");
  }

  @Test
  void aDribblingAnswerIsCutAtTheUpstreamTimeoutForTheCallerAndThoseWaitingForIt()
      throws Exception {
    // One byte every 20 ms never trips the idle timeout, but the whole answer would take
    // seconds: the upstream timeout bounds it, and so every caller of the same request.
    startProxy(settings().upstreamTimeout(Duration.ofMillis(500))
        .upstreamIdleTimeout(Duration.ofSeconds(30)));
    upstream.mode = FakeUpstream.Mode.DRIBBLE;
    upstream.chunkDelay = Duration.ofMillis(20);

    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(http.sendAsync(post(body("Take your time", false)),
          HttpResponse.BodyHandlers.ofString()));
    }

    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> response = call.get(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(504);
      assertThat(response.body()).contains("upstream_timeout");
    }
  }

  @Test
  void aStreamThatNeverStallsIsStillCutAtTheStreamTimeout() throws Exception {
    // A word every 20 ms never trips the idle timeout; the 40-second answer would hold a
    // thread for all of it without a bound on the whole stream.
    startProxy(settings().streamTimeout(Duration.ofMillis(600))
        .upstreamIdleTimeout(Duration.ofSeconds(30)));
    upstream.chunkDelay = Duration.ofMillis(20);
    String longQuestion = "word ".repeat(2_000).strip();

    long start = System.nanoTime();
    HttpResponse<InputStream> response = http.send(post(body(longQuestion, true)),
        HttpResponse.BodyHandlers.ofInputStream());
    String received = readUntilTheEnd(response.body());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(received).contains("\"content\":\"You \"").contains("upstream_timeout")
        .contains("stream timeout").doesNotContain("[DONE]");
    assertThat(took).as("cut off long before the answer's 40 s").isLessThan(
        Duration.ofSeconds(20));
    CachingProxyTest.awaitEvents(events, 1);
    assertThat(events.get(0).note()).contains("stream cut off").contains("not stored");
    assertThat(upstream.streamBroken.await(20, TimeUnit.SECONDS))
        .as("the proxy closed its upstream connection").isTrue();
  }

  @Test
  void aStreamWhoseClientLeftStopsReadingTheUpstream() throws Exception {
    startProxy(settings());
    upstream.chunkDelay = Duration.ofMillis(20);
    String longQuestion = "word ".repeat(2_000).strip();

    try (Socket client = rawClient()) {
      sendRequest(client, body(longQuestion, true), -1);
      InputStream in = client.getInputStream();
      String seen = "";
      byte[] buffer = new byte[256];
      while (!seen.contains("You ")) {
        int n = in.read(buffer);
        assertThat(n).as("the stream starts").isPositive();
        seen += new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
      }
    } // the client leaves after the first words of a 40-second answer

    assertThat(upstream.streamBroken.await(20, TimeUnit.SECONDS))
        .as("the proxy closed its upstream connection").isTrue();
    CachingProxyTest.awaitEvents(events, 1);
    assertThat(events.get(0).note()).contains("client left");
  }

  @Test
  void clientsStallingTheirBodiesHoldNoThread() throws Exception {
    // One request thread (Jetty's pool: 9 in all); 80 bodies that never finish.
    startProxy(settings().threads(1).clientIdleTimeout(Duration.ofSeconds(30)));
    for (int i = 0; i < 80; i++) {
      Socket stalled = rawClient();
      sendRequest(stalled, body("slow", false), 1); // one byte of the body, then nothing
    }

    HttpResponse<String> meanwhile = http.send(post(body("Anyone serving?", false)),
        HttpResponse.BodyHandlers.ofString());

    assertThat(meanwhile.statusCode()).as("80 stalled bodies do not lock the proxy out")
        .isEqualTo(200);
  }

  @Test
  void aStalledBodyGetsA408AfterTheClientIdleTimeout() throws Exception {
    startProxy(settings().clientIdleTimeout(Duration.ofMillis(300)));
    try (Socket stalled = rawClient()) {
      sendRequest(stalled, body("slow", false), 1);
      String answer = readUntilTheEnd(stalled.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 408").contains("request_timeout")
          .contains("client idle timeout");
    }
    assertThat(upstream.chatCalls).hasValue(0);
  }

  @Test
  void waitingForASlowUpstreamIsNotClientIdleness() throws Exception {
    startProxy(settings().clientIdleTimeout(Duration.ofMillis(200)));
    upstream.delay = Duration.ofMillis(1_000);

    HttpResponse<String> plain = http.send(post(body("Think first", false)),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> stream = http.send(post(body("Think first, stream", true)),
        HttpResponse.BodyHandlers.ofString());

    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.body()).contains(FakeUpstream.answerTo("Think first"));
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.body()).contains("[DONE]");
  }

  private Socket rawClient() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    socket.setSoTimeout(30_000); // a bound on every read of these tests
    sockets.add(socket);
    return socket;
  }

  /**
   * Sends a chat request by hand.
   *
   * @param bytesOfBody how much of the body to send, or -1 for all of it
   */
  private static void sendRequest(Socket socket, String body, int bytesOfBody)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer k\r\nContent-Type: application/json\r\nContent-Length: "
        + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes, 0, bytesOfBody < 0 ? bytes.length : bytesOfBody);
    out.flush();
  }
}
