package dev.cachet.llm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Memory per request is bounded: the proxy runs in a child JVM with a 128 MB heap and is sent
 * 4 MiB bodies of a million empty objects, which as a JSON tree would take hundreds of
 * megabytes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyMemoryTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();
  /**
   * Each blocking read of the child's output on a thread of its own: on 2 cores the common pool
   * has one thread, which the stderr reader holds until the child exits (JDK 25 runs async
   * tasks there; JDK 17 gave each its own thread at that parallelism).
   */
  private static final java.util.concurrent.Executor OWN_THREAD = task -> {
    Thread t = new Thread(task, "child-output");
    t.setDaemon(true);
    t.start();
  };
  private FakeUpstream upstream;
  private Process child;
  private CompletableFuture<String> childErrors;
  private int port;

  @BeforeEach
  void start() throws Exception {
    upstream = new FakeUpstream();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    child = new ProcessBuilder(java, "-Xmx128m", "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path"), SmallHeapProxy.class.getName(),
        upstream.uri().toString()).start();
    childErrors = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    }, OWN_THREAD);
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8));
    String line;
    try {
      line = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (IOException e) {
          return null;
        }
      }, OWN_THREAD).get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      child.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      throw new AssertionError("the child proxy printed no port within 60 s; its stderr:\n"
          + childErrors.get(20, TimeUnit.SECONDS), e);
    }
    assertThat(line).as("the child proxy's port").isNotNull().containsOnlyDigits();
    port = Integer.parseInt(line);
  }

  @AfterEach
  void stop() throws Exception {
    child.getOutputStream().close(); // the child's signal to stop
    if (!child.waitFor(20, TimeUnit.SECONDS)) {
      child.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
    upstream.close();
  }

  private HttpResponse<String> post(String body) throws Exception {
    return http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
        .header("Authorization", "Bearer k").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String emptyObjects(int bytes) {
    StringBuilder b = new StringBuilder(bytes + 16).append("{}");
    while (b.length() < bytes) {
      b.append(",{}");
    }
    return b.toString();
  }

  @Test
  void aMillionEmptyObjectsGetJsonAnswersAndTheProxyLivesOn() throws Exception {
    String objects = emptyObjects(4 << 20);

    HttpResponse<String> array = post("[" + objects + "]");
    HttpResponse<String> messages = post("{\"model\":\"gpt-4o-mini\",\"temperature\":0,"
        + "\"messages\":[" + objects + ",{\"role\":\"user\",\"content\":\"last\"}]}");
    HttpResponse<String> normal = post("{\"model\":\"gpt-4o-mini\",\"temperature\":0,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"still there?\"}]}");

    assertThat(array.statusCode()).isEqualTo(400);
    assertThat(array.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    JsonNode error = FakeUpstream.JSON.readTree(array.body()).path("error");
    assertThat(error.path("message").asText()).contains("must be a JSON object");

    assertThat(messages.statusCode()).as(messages.body()).isEqualTo(200);
    assertThat(messages.headers().firstValue(CacheStatus.HEADER)).hasValue("BYPASS");
    assertThat(messages.headers().firstValue(CacheStatus.REASON_HEADER))
        .hasValue("request-too-complex");
    assertThat(FakeUpstream.JSON.readTree(messages.body()).path("choices").path(0)
        .path("message").path("content").asText()).isEqualTo(FakeUpstream.answerTo("last"));

    assertThat(normal.statusCode()).isEqualTo(200);
    assertThat(normal.body()).contains(FakeUpstream.answerTo("still there?"));
    assertThat(child.isAlive()).as("the proxy did not run out of memory").isTrue();
    child.getOutputStream().close();
    child.waitFor(20, TimeUnit.SECONDS);
    assertThat(childErrors.get(20, TimeUnit.SECONDS)).doesNotContain("OutOfMemoryError");
  }
}
