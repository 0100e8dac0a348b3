package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServeCommandTest {
  private HttpServer upstream;
  private final AtomicInteger upstreamCalls = new AtomicInteger();

  @BeforeEach
  void startUpstream() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    upstream.createContext("/v1/chat/completions", exchange -> {
      upstreamCalls.incrementAndGet();
      exchange.getRequestBody().readAllBytes();
      byte[] body = ("{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
          + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1000,"
          + "\"completion_tokens\":500,\"total_tokens\":1500}}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    upstream.start();
  }

  @AfterEach
  void stop() {
    ServeCommand.onStarted = null;
    upstream.stop(0);
  }

  @Test
  void servesCachedAnswersAndLogsEachRequest() {
    HttpClient http = HttpClient.newHttpClient();
    List<String> xCache = new ArrayList<>();
    ServeCommand.onStarted = (proxy, stop) -> {
      try {
        for (int i = 0; i < 2; i++) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                  URI.create(proxy.baseUrl() + "/chat/completions"))
              .header("Authorization", "Bearer k1")
              .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"temperature\":0,"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}")).build(),
              HttpResponse.BodyHandlers.ofString());
          xCache.add(r.headers().firstValue("X-Cache").orElse("none"));
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        stop.run();
      }
    };

    CliRun run = CliRun.of("serve", "--upstream",
        "http://127.0.0.1:" + upstream.getAddress().getPort(), "--port", "0");

    assertThat(run.exitCode()).isZero();
    assertThat(xCache).containsExactly("MISS", "HIT");
    assertThat(upstreamCalls).hasValue(1);
    assertThat(run.out()).contains("Cachet proxy listening on http://127.0.0.1:")
        .contains("Caching: exact, in memory.");
    assertThat(run.out().lines().filter(l -> l.contains("/v1/chat/completions")))
        .hasSize(2)
        .anySatisfy(l -> assertThat(l).contains("MISS", "200", "POST"))
        .anySatisfy(l -> assertThat(l).contains("HIT", "200", "POST"));
    assertThat(run.out()).doesNotContain("k1");
  }

  @Test
  void helpListsTheOptions() {
    CliRun run = CliRun.of("serve", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--upstream=URL", "--port=N", "--disk=DIR", "--redis=URI",
        "--semantic", "--semantic-max-error=RATE", "--tenant-header=NAME", "X-Cache");
  }

  @Test
  void theUpstreamIsRequired() {
    CliRun run = CliRun.of("serve");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required option: '--upstream=URL'");
  }

  @Test
  void anUpstreamThatIsNotHttpIsAClearError() {
    CliRun run = CliRun.of("serve", "--upstream", "ftp://example.com");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("must be an http or https URL");
  }

  @Test
  void aPortInUseIsAClearError() throws IOException {
    CliRun run = CliRun.of("serve", "--upstream", "http://127.0.0.1:1", "--port",
        String.valueOf(upstream.getAddress().getPort()));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Cannot listen on 127.0.0.1:"
        + upstream.getAddress().getPort(), "choose another with --port");
  }

  @Test
  void anErrorBoundNeedsSemanticAndARateInRange() {
    CliRun alone = CliRun.of("serve", "--upstream", "http://127.0.0.1:1",
        "--semantic-max-error", "0.02");
    assertThat(alone.exitCode()).isEqualTo(2);
    assertThat(alone.err()).contains("--semantic-max-error bounds semantic hits: add --semantic");
    CliRun tooHigh = CliRun.of("serve", "--upstream", "http://127.0.0.1:1", "--semantic",
        "--semantic-max-error", "0.9");
    assertThat(tooHigh.exitCode()).isEqualTo(2);
    assertThat(tooHigh.err()).contains("(--semantic-max-error) is a rate in (0, 0.5]", "got 0.9");
  }

  @Test
  void aMalformedPriceIsAClearError() {
    CliRun run = CliRun.of("serve", "--upstream", "http://127.0.0.1:1", "--price",
        "gpt-4o-mini=cheap");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--price 'gpt-4o-mini=cheap' is not MODEL=IN,OUT");
  }

  @Test
  void anUpstreamPasswordIsNotPrintedWhenTheUrlIsRefused() {
    CliRun run = CliRun.of("serve", "--upstream", "ftp://user:hunter2@example.com");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).doesNotContain("hunter2").contains("***@example.com");
  }

  @Test
  void statsReadsTheSavingsOfARunningProxy() {
    HttpClient http = HttpClient.newHttpClient();
    List<CliRun> stats = new ArrayList<>();
    ServeCommand.onStarted = (proxy, stop) -> {
      try {
        for (int i = 0; i < 2; i++) {
          http.send(HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/chat/completions"))
              .header("Authorization", "Bearer k1")
              .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"temperature\":0,"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}")).build(),
              HttpResponse.BodyHandlers.ofString());
        }
        stats.add(CliRun.of("stats", "--proxy", proxy.baseUrl().toString()));
        stats.add(CliRun.of("stats", "--proxy", proxy.baseUrl().toString(), "--json"));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        stop.run();
      }
    };

    CliRun run = CliRun.of("serve", "--upstream",
        "http://127.0.0.1:" + upstream.getAddress().getPort(), "--port", "0", "--quiet",
        "--price", "m=1,2");

    assertThat(run.exitCode()).isZero();
    assertThat(stats).hasSize(2);
    assertThat(stats.get(0).exitCode()).isZero();
    // One hit saved 1000 prompt and 500 completion tokens: $1 and $2 per million.
    assertThat(stats.get(0).out()).contains("HIT").contains("1000").contains("500")
        .contains("0.002000").doesNotContain("k1");
    assertThat(stats.get(1).out()).contains("\"HIT\": 1").contains("\"promptTokens\": 1000")
        .contains("\"costUsd\": 0.002000");
  }

  @Test
  void statsOfAProxyWithAMetricsTokenSaysWhichTokenItNeeds() {
    List<CliRun> stats = new ArrayList<>();
    ServeCommand.onStarted = (proxy, stop) -> {
      try {
        // This JVM has no CACHET_METRICS_TOKEN, so the stats command sends no token.
        stats.add(CliRun.of("stats", "--proxy", proxy.baseUrl().toString()));
      } finally {
        stop.run();
      }
    };

    CliRun run = CliRun.of("serve", "--upstream",
        "http://127.0.0.1:" + upstream.getAddress().getPort(), "--port", "0", "--quiet",
        "--metrics-token", "0123456789abcdef-token");

    assertThat(run.exitCode()).isZero();
    assertThat(stats).singleElement().satisfies(s -> {
      assertThat(s.exitCode()).isEqualTo(2);
      assertThat(s.err()).contains("needs the proxy's metrics token")
          .contains("CACHET_METRICS_TOKEN").doesNotContain("0123456789abcdef");
    });
    assertThat(ProxySavings.request(URI.create("http://127.0.0.1:1/metrics"), " t0k3n ")
        .headers().firstValue("Authorization")).hasValue("Bearer t0k3n");
  }

  @Test
  void statsOfAProxyThatIsNotRunningIsAClearError() {
    CliRun run = CliRun.of("stats", "--proxy", "http://127.0.0.1:1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Cannot read http://127.0.0.1:1/metrics");
  }
}
