package dev.cachet.llm.proxy;

import dev.cachet.llm.LlmResponse;
import dev.cachet.llm.Usage;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the proxy counts: requests by {@code X-Cache} status, and what hits saved (prompt and
 * completion tokens, and their cost from the price table) per tenant and model, written as
 * Prometheus text for {@code GET /metrics}.
 *
 * <p>Tenants appear as a short prefix of their credentials' hash ({@code key:1a2b3c4d5e6f}),
 * never as a key; the narrowing parts (tenant header, namespace, query) are summed together.
 */
final class ProxyMetrics {
  private final Map<CacheStatus, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, Saved> saved = new ConcurrentHashMap<>();
  private final Map<String, Price> prices;

  /** Tokens and cost saved for one tenant and model. */
  private static final class Saved {
    final String tenant;
    final String model;
    final LongAdder hits = new LongAdder();
    final LongAdder promptTokens = new LongAdder();
    final LongAdder completionTokens = new LongAdder();
    final DoubleAdder cost = new DoubleAdder();

    Saved(String tenant, String model) {
      this.tenant = tenant;
      this.model = model;
    }
  }

  /**
   * @param prices the price of each model by name; models without one save tokens only
   */
  ProxyMetrics(Map<String, Price> prices) {
    this.prices = Map.copyOf(prices);
  }

  /** Counts an answered request. */
  void answered(ProxyEvent event) {
    requests.computeIfAbsent(event.status(), s -> new LongAdder()).increment();
  }

  /** Counts what a hit saved: the usage the stored answer cost when it was first asked. */
  void hit(String tenant, String model, LlmResponse answer) {
    String label = tenantLabel(tenant);
    Saved s = saved.computeIfAbsent(label + "\n" + model, k -> new Saved(label, model));
    s.hits.increment();
    Usage usage = answer.usage();
    if (usage == null) {
      return;
    }
    s.promptTokens.add(usage.promptTokens());
    s.completionTokens.add(usage.completionTokens());
    Price price = prices.get(model);
    if (price != null) {
      s.cost.add(price.cost(usage.promptTokens(), usage.completionTokens()));
    }
  }

  /** A tenant as metrics show it: a prefix of the credentials' hash, no narrowing parts. */
  static String tenantLabel(String tenant) {
    int bar = tenant.indexOf('|');
    String base = bar < 0 ? tenant : tenant.substring(0, bar);
    return base.startsWith("key:") && base.length() > 16 ? base.substring(0, 16) : base;
  }

  /** The counters in the Prometheus text exposition format (version 0.0.4). */
  String prometheus() {
    StringBuilder out = new StringBuilder(1024);
    out.append("# HELP cachet_proxy_requests_total Requests answered, by X-Cache status.\n")
        .append("# TYPE cachet_proxy_requests_total counter\n");
    for (CacheStatus status : CacheStatus.values()) {
      LongAdder n = requests.get(status);
      out.append("cachet_proxy_requests_total{cache=\"").append(status.headerValue())
          .append("\"} ").append(n == null ? 0 : n.sum()).append('\n');
    }
    Map<String, Saved> sorted = new TreeMap<>(saved);
    family(out, "cachet_proxy_hits_total", "Hits, by tenant and model.");
    sorted.values().forEach(s -> sample(out, "cachet_proxy_hits_total", s, s.hits.sum()));
    family(out, "cachet_proxy_saved_prompt_tokens_total",
        "Prompt tokens hits did not send upstream.");
    sorted.values().forEach(s -> sample(out, "cachet_proxy_saved_prompt_tokens_total", s,
        s.promptTokens.sum()));
    family(out, "cachet_proxy_saved_completion_tokens_total",
        "Completion tokens hits did not have generated.");
    sorted.values().forEach(s -> sample(out, "cachet_proxy_saved_completion_tokens_total", s,
        s.completionTokens.sum()));
    family(out, "cachet_proxy_saved_cost_usd_total",
        "US dollars hits saved, from the proxy's price table.");
    sorted.values().forEach(s -> out.append("cachet_proxy_saved_cost_usd_total")
        .append(labels(s)).append(' ').append(String.format(Locale.ROOT, "%.6f", s.cost.sum()))
        .append('\n'));
    return out.toString();
  }

  private static void family(StringBuilder out, String name, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" counter\n");
  }

  private static void sample(StringBuilder out, String name, Saved s, long value) {
    out.append(name).append(labels(s)).append(' ').append(value).append('\n');
  }

  private static String labels(Saved s) {
    return "{tenant=\"" + escape(s.tenant) + "\",model=\"" + escape(s.model) + "\"}";
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
