package dev.cachet.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cachet.Cachet;
import dev.cachet.llm.proxy.CachingProxy;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

/**
 * Latency of the OpenAI-compatible caching proxy ({@link CachingProxy}): an exact hit through
 * the proxy against a call straight to the upstream, on loopback, with one client thread
 * sending requests one after another over a kept-alive connection (the JDK HTTP client).
 *
 * <p>The upstream is a stand-in on loopback that answers a fixed chat completion after a set
 * delay: 0 gives the floor (what a round trip to any local HTTP server costs), and a realistic
 * delay shows what a hit saves. A miss through the proxy (a new prompt each time, forwarded and
 * stored) shows what the proxy adds to calls it cannot answer.
 *
 * <p>Not a JMH benchmark (these are milliseconds-scale round trips through two HTTP servers,
 * where percentiles matter more than a mean), and not part of the short suite. Run it by hand:
 *
 * <pre>
 * java -cp cachet-bench/target/benchmarks.jar dev.cachet.bench.ProxyLatency \
 *     [--samples 5000] [--delay-ms 300] [--slow-samples 20] [--results cachet-bench/RESULTS.md]
 * </pre>
 *
 * <p>With {@code --results} it replaces the "LLM proxy" section of that file (appending it when
 * absent) and leaves the rest of the file alone.
 */
public final class ProxyLatency {
  private static final String SECTION = "## LLM proxy";
  private static final byte[] ANSWER = ("{\"id\":\"chatcmpl-bench\",\"object\":"
      + "\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-4o-mini\",\"choices\":[{"
      + "\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"A cache keeps answers "
      + "close, so repeated questions cost microseconds instead of seconds.\"},\"finish_reason\":"
      + "\"stop\"}],\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":16,\"total_tokens\":"
      + "40}}").getBytes(StandardCharsets.UTF_8);

  private ProxyLatency() {
  }

  /** One measured scenario. */
  private record Row(String name, long[] nanos) {
    long percentile(double p) {
      int i = (int) Math.ceil(p / 100 * nanos.length) - 1;
      return nanos[Math.max(0, Math.min(nanos.length - 1, i))];
    }

    double meanMicros() {
      return Arrays.stream(nanos).average().orElse(0) / 1e3;
    }
  }

  /** Runs the scenarios and prints (and optionally records) their percentiles. */
  public static void main(String[] args) throws Exception {
    // The stand-in upstream is the JDK's HTTP server, which leaves Nagle's algorithm on unless
    // this is set before its first server starts: its answers would wait ~40 ms for the
    // client's delayed ACK, and the floor would measure that instead of a round trip.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int samples = 5_000;
    int delayMs = 300;
    int slowSamples = 20;
    Path results = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw usage("missing value after " + flag);
      }
      String value = args[++i];
      switch (flag) {
        case "--samples" -> samples = Integer.parseInt(value);
        case "--delay-ms" -> delayMs = Integer.parseInt(value);
        case "--slow-samples" -> slowSamples = Integer.parseInt(value);
        case "--results" -> results = Path.of(value);
        default -> throw usage("unknown option " + flag);
      }
    }
    Instant started = Instant.now();
    double[] loadBefore = loadAverage();
    List<Row> rows = new ArrayList<>();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    int warmup = Math.max(500, samples / 2);

    try (Upstream fast = new Upstream(0); Cachet cachet = Cachet.create();
        CachingProxy proxy = CachingProxy.builder(fast.uri()).port(0).cachet(cachet)
            .build().start()) {
      URI direct = URI.create(fast.uri() + "/v1/chat/completions");
      URI proxied = URI.create(proxy.baseUrl() + "/chat/completions");
      String hit = body("What does a cache do?", false);
      String hitStream = body("What does a cache do?", true);
      rows.add(measure("direct to upstream (delay 0)", client, direct, i -> hit, warmup,
          samples));
      rows.add(measure("proxy, exact hit", client, proxied, i -> hit, warmup, samples));
      rows.add(measure("proxy, exact hit replayed as a stream", client, proxied,
          i -> hitStream, warmup, samples));
      rows.add(measure("proxy, miss (forwarded and stored; delay 0)", client, proxied,
          i -> body("Question number " + i, false), warmup, samples));
    }
    try (Upstream slow = new Upstream(delayMs); Cachet cachet = Cachet.create();
        CachingProxy proxy = CachingProxy.builder(slow.uri()).port(0).cachet(cachet)
            .build().start()) {
      URI direct = URI.create(slow.uri() + "/v1/chat/completions");
      URI proxied = URI.create(proxy.baseUrl() + "/chat/completions");
      String hit = body("What does a cache do?", false);
      rows.add(measure("direct to upstream (delay " + delayMs + " ms)", client, direct,
          i -> hit, 2, slowSamples));
      rows.add(measure("proxy, exact hit (upstream delay " + delayMs + " ms)", client, proxied,
          i -> hit, warmup, samples));
    }
    double[] loadAfter = loadAverage();
    String table = table(rows) + "\n" + reading(rows, delayMs, loadBefore[0], loadAfter[0]);
    System.out.println(table);
    if (results != null) {
      String section = section(table, samples, slowSamples, delayMs, started, loadBefore,
          loadAfter);
      record(results, section);
      System.out.println("Wrote the \"LLM proxy\" section of " + results);
    }
  }

  private static Row measure(String name, HttpClient client, URI uri, IntFunction<String> body,
      int warmup, int samples) throws IOException, InterruptedException {
    for (int i = 0; i < warmup; i++) {
      call(client, uri, body.apply(-1 - i));
    }
    long[] nanos = new long[samples];
    for (int i = 0; i < samples; i++) {
      String b = body.apply(i);
      long start = System.nanoTime();
      call(client, uri, b);
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    return new Row(name, nanos);
  }

  private static void call(HttpClient client, URI uri, String body)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri)
        .header("Authorization", "Bearer bench-key").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + r.statusCode() + " from " + uri + ": "
          + new String(r.body(), StandardCharsets.UTF_8));
    }
  }

  private static String body(String question, boolean stream) {
    return "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"system\",\"content\":\"You answer in one sentence.\"},"
        + "{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
  }

  private static String table(List<Row> rows) {
    StringBuilder md = new StringBuilder();
    md.append("| Scenario | Samples | p50 | p90 | p99 | mean |\n");
    md.append("|---|---:|---:|---:|---:|---:|\n");
    for (Row row : rows) {
      md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s |%n", row.name(),
          row.nanos().length, time(row.percentile(50)), time(row.percentile(90)),
          time(row.percentile(99)), time((long) (row.meanMicros() * 1e3))));
    }
    return md.toString();
  }

  /** The numbers in words; rows are in the order main measures them. */
  private static String reading(List<Row> rows, int delayMs, double loadBefore,
      double loadAfter) {
    long direct = rows.get(0).percentile(50);
    long hit = rows.get(1).percentile(50);
    long miss = rows.get(3).percentile(50);
    long slowDirect = rows.get(4).percentile(50);
    long slowHit = rows.get(5).percentile(50);
    int cores = Runtime.getRuntime().availableProcessors();
    return String.format(Locale.ROOT, "Reading: an exact hit through the proxy took %s at p50,"
        + " against %s for a bare round trip to the stand-in upstream: the proxy's lookup and"
        + " replay are lost in the cost of one loopback HTTP exchange. Against the %d ms"
        + " upstream, a hit answered in %s instead of %s at p50 (%,dx faster). A miss took %s at"
        + " p50, %s more than the direct call: a second loopback hop, parsing, the key and the"
        + " store.%s Before choosing Jetty, the same proxy on the JDK's"
        + " `com.sun.net.httpserver` measured 44 ms p50 per hit: that server leaves Nagle's"
        + " algorithm on unless a JVM-wide property is set (see cachet-llm/README.md, Proxy).%n",
        time(hit), time(direct), delayMs, time(slowHit), time(slowDirect),
        slowDirect / Math.max(1, slowHit), time(miss), time(Math.max(0, miss - direct)),
        Math.max(loadBefore, loadAfter) > cores ? String.format(Locale.ROOT, " The machine was"
            + " busy with other work during the run (load average up to %.1f on %d cores), so"
            + " the p99 column mostly shows scheduling delays.", Math.max(loadBefore, loadAfter),
            cores) : "");
  }

  private static String time(long nanos) {
    if (nanos >= 10_000_000) {
      return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
    if (nanos >= 1_000_000) {
      return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
  }

  private static String section(String table, int samples, int slowSamples, int delayMs,
      Instant started, double[] before, double[] after) {
    Runtime rt = Runtime.getRuntime();
    return SECTION + "\n\n"
        + "Exact-hit latency through the OpenAI-compatible caching proxy (`cachet serve`,"
        + " `dev.cachet.llm.proxy.CachingProxy`) against calling the upstream directly. Written by"
        + " `dev.cachet.bench.ProxyLatency` (not part of the short suite; `run-short.sh` rewrites"
        + " this file without it, so rerun it afterwards):\n\n"
        + "```\njava -cp cachet-bench/target/benchmarks.jar dev.cachet.bench.ProxyLatency"
        + " --samples " + samples + " --delay-ms " + delayMs + " --slow-samples " + slowSamples
        + " --results cachet-bench/RESULTS.md\n```\n\n"
        + "One client thread (JDK `HttpClient`, HTTP/1.1, kept-alive connection) sends one"
        + " request after another on loopback; each time is the full round trip from sending to"
        + " the last byte of the body. The upstream is a stand-in that answers a fixed"
        + " `chat.completion` after a set delay: 0 for the floor, " + delayMs + " ms for a"
        + " (fast) real model. The proxy caches exactly, in memory (`Cachet.create()`); a miss"
        + " sends a new prompt each time, so it is forwarded, parsed and stored."
        + " Warm-up: " + Math.max(500, samples / 2) + " requests per scenario (2 for the"
        + " slow direct calls).\n\n"
        + "| | |\n|---|---|\n"
        + "| Date | " + started.truncatedTo(ChronoUnit.SECONDS) + " |\n"
        + "| Cores | " + rt.availableProcessors() + " logical |\n"
        + "| JDK | " + System.getProperty("java.runtime.version") + " |\n"
        + "| Load average (1 min) | before " + String.format(Locale.ROOT, "%.2f", before[0])
        + ", after " + String.format(Locale.ROOT, "%.2f", after[0]) + " |\n\n"
        + table;
  }

  /** Replaces the section in {@code file} (up to the next "## " heading), or appends it. */
  static void record(Path file, String section) throws IOException {
    String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    int start = text.indexOf("\n" + SECTION + "\n");
    String updated;
    if (start < 0) {
      updated = text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n") + "\n" + section;
    } else {
      int end = text.indexOf("\n## ", start + 1);
      updated = text.substring(0, start + 1) + section
          + (end < 0 ? "" : "\n" + text.substring(end + 1));
    }
    Files.writeString(file, updated, StandardCharsets.UTF_8);
  }

  private static double[] loadAverage() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return new double[] {load};
  }

  private static IllegalArgumentException usage(String problem) {
    return new IllegalArgumentException(problem + "; usage: ProxyLatency [--samples N]"
        + " [--delay-ms MS] [--slow-samples N] [--results PATH]");
  }

  /** The stand-in upstream: a fixed answer after a delay. */
  private static final class Upstream implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "bench-upstream");
      t.setDaemon(true);
      return t;
    });

    Upstream(int delayMs) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      server.createContext("/", exchange -> answer(exchange, delayMs));
      server.setExecutor(executor);
      server.start();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void answer(HttpExchange exchange, int delayMs) throws IOException {
      exchange.getRequestBody().readAllBytes();
      if (delayMs > 0) {
        try {
          Thread.sleep(Duration.ofMillis(delayMs).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, ANSWER.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(ANSWER);
      }
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
