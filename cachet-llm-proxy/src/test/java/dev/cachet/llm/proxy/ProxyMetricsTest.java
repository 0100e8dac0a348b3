package dev.cachet.llm.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cachet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Savings per tenant and model, and requests by X-Cache status, in Prometheus text. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyMetricsTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();
  private final List<ProxyEvent> events = new CopyOnWriteArrayList<>();
  private FakeUpstream upstream;
  private Cachet cachet;
  private CachingProxy proxy;

  @BeforeEach
  void start() throws IOException {
    upstream = new FakeUpstream();
    cachet = Cachet.create();
    proxy = CachingProxy.builder(upstream.uri()).port(0).cachet(cachet)
        .prices(Map.of("gpt-4o-mini", new Price(0.15, 0.60))).listener(events::add)
        .build().start();
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.close();
    cachet.close();
  }

  private void ask(String key, boolean stream) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create(proxy.baseUrl() + "/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"temperature\":0,"
            + "\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":"
            + "\"What did that save?\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  private static List<String> lines(String text, String metric) {
    return text.lines().filter(l -> l.startsWith(metric + "{")).toList();
  }

  @Test
  void hitsCountTheTokensAndCostTheySavedPerTenantAndModel() throws Exception {
    ask("sk-alice-secret", false); // miss: the fake reports 9 prompt and 12 completion tokens
    ask("sk-alice-secret", false); // hit
    ask("sk-alice-secret", true);  // hit, replayed as a stream
    ask("sk-bob-secret", false);   // another tenant's miss
    CachingProxyTest.awaitEvents(events, 4);

    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + proxy.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    String text = metrics.body();

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/plain; version=0.0.4");
    assertThat(text).contains("cachet_proxy_requests_total{cache=\"HIT\"} 2")
        .contains("cachet_proxy_requests_total{cache=\"MISS\"} 2")
        .contains("# TYPE cachet_proxy_saved_cost_usd_total counter");
    assertThat(lines(text, "cachet_proxy_hits_total")).singleElement().asString()
        .contains("model=\"gpt-4o-mini\"").endsWith(" 2");
    assertThat(lines(text, "cachet_proxy_saved_prompt_tokens_total")).singleElement()
        .asString().endsWith(" 18");
    assertThat(lines(text, "cachet_proxy_saved_completion_tokens_total")).singleElement()
        .asString().endsWith(" 24");
    // 18 prompt tokens at $0.15 and 24 completion tokens at $0.60 per million.
    assertThat(lines(text, "cachet_proxy_saved_cost_usd_total")).singleElement().asString()
        .endsWith(" 0.000017");
    assertThat(text).doesNotContain("sk-alice-secret").doesNotContain("What did");
    assertThat(proxy.metricsText()).contains("cachet_proxy_hits_total");
    assertThat(upstream.otherCalls).as("/metrics is the proxy's own").hasValue(0);
  }

  @Test
  void aMetricsTokenKeepsTheEndpointFromAnyoneWithoutIt() throws Exception {
    String token = "0123456789abcdef-metrics";
    try (CachingProxy guarded = CachingProxy.builder(upstream.uri()).port(0).cachet(cachet)
        .metricsToken(token).build().start()) {
      URI metrics = URI.create("http://127.0.0.1:" + guarded.port() + "/metrics");

      HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(metrics).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(metrics)
          .header("Authorization", "Bearer 0123456789abcdef-metricz").build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> right = http.send(HttpRequest.newBuilder(metrics)
          .header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.body()).contains("metrics_unauthorized").contains("--metrics-token")
          .doesNotContain("cachet_proxy");
      assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue(
          "Bearer realm=\"cachet-metrics\"");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(right.body()).contains("cachet_proxy_requests_total");
    }
    assertThat(upstream.otherCalls).as("never forwarded").hasValue(0);
  }

  @Test
  void aShortMetricsTokenIsRefusedWithTheReason() {
    assertThatThrownBy(() -> CachingProxy.builder(upstream.uri()).metricsToken("secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16 characters").hasMessageNotContaining("secret");
  }
}
