package dev.cachet.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The counters of a running {@code cachet serve}, read from its {@code /metrics} (Prometheus
 * text): requests by {@code X-Cache} status, and per tenant and model the hits and what they
 * saved.
 */
final class ProxySavings {
  private static final Pattern SAMPLE = Pattern.compile(
      "^(cachet_proxy_[a-z_]+)(?:\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** Requests by X-Cache status, in the order the proxy lists them. */
  final Map<String, Long> requests = new LinkedHashMap<>();
  /** Savings by "tenant model", sorted. */
  final Map<String, Saved> saved = new TreeMap<>();

  /** What hits saved for one tenant and model. */
  static final class Saved {
    final String tenant;
    final String model;
    long hits;
    long promptTokens;
    long completionTokens;
    double costUsd;

    Saved(String tenant, String model) {
      this.tenant = tenant;
      this.model = model;
    }
  }

  private ProxySavings() {
  }

  /**
   * Fetches and reads the counters.
   *
   * @param proxy the proxy's address, such as {@code http://127.0.0.1:8787} (its {@code /v1}
   *     base URL is accepted too)
   * @throws UserError when the proxy cannot be reached or does not answer with its counters
   */
  /** The GET of {@code /metrics}, with the bearer token when one is given. */
  static HttpRequest request(URI metrics, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(30));
    if (token != null && !token.isBlank()) {
      b.header("Authorization", "Bearer " + token.strip());
    }
    return b.build();
  }

  static ProxySavings fetch(URI proxy) {
    String base = proxy.toString().replaceAll("/+$", "").replaceAll("/v1$", "");
    URI metrics = URI.create(base + "/metrics");
    HttpResponse<String> response;
    try {
      response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
          .send(request(metrics, System.getenv("CACHET_METRICS_TOKEN")),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UserError("Cannot read " + metrics + ": " + e.getMessage()
          + " (is `cachet serve` running there?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("Interrupted while reading " + metrics, e);
    }
    if (response.statusCode() == 401) {
      throw new UserError(metrics + " needs the proxy's metrics token: set the environment"
          + " variable CACHET_METRICS_TOKEN to the --metrics-token the proxy was started with",
          null);
    }
    if (response.statusCode() != 200) {
      throw new UserError(metrics + " answered " + response.statusCode()
          + "; give the address of a `cachet serve` proxy", null);
    }
    return parse(response.body());
  }

  static ProxySavings parse(String text) {
    ProxySavings s = new ProxySavings();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line.strip());
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
      }
      double value = Double.parseDouble(m.group(3));
      if (m.group(1).equals("cachet_proxy_requests_total")) {
        s.requests.put(labels.getOrDefault("cache", "?"), (long) value);
        continue;
      }
      String tenant = labels.getOrDefault("tenant", "?");
      String model = labels.getOrDefault("model", "?");
      Saved saved = s.saved.computeIfAbsent(tenant + " " + model, k -> new Saved(tenant, model));
      switch (m.group(1)) {
        case "cachet_proxy_hits_total" -> saved.hits = (long) value;
        case "cachet_proxy_saved_prompt_tokens_total" -> saved.promptTokens = (long) value;
        case "cachet_proxy_saved_completion_tokens_total" -> saved.completionTokens = (long) value;
        case "cachet_proxy_saved_cost_usd_total" -> saved.costUsd = value;
        default -> {
          // A counter this version does not know: left out of the summary.
        }
      }
    }
    return s;
  }
}
