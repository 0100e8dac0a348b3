package dev.cachet.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
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
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The caching proxy under load: many concurrent clients on loopback for a bounded time, mixing
 * hits, misses, streams, a stalled upstream, clients that leave mid-stream, bad input and
 * oversized bodies, against {@link ProxyLoadUpstream}. The proxy runs in a JVM of its own
 * ({@link ProxyLoadServer}, with {@code --proxy-heap} as its {@code -Xmx}), so that the heap
 * reported is the proxy's alone, not the clients'. It reports the p50/p99 of each kind, the
 * answers by kind and status (or error), the proxy's largest heap (in use, and live after a
 * collection), and any request that took longer than the proxy's timeouts allow (there must be
 * none).
 *
 * <p>Run it by hand:
 *
 * <pre>
 * java -cp cachet-bench/target/benchmarks.jar dev.cachet.bench.ProxyLoad \
 *     [--clients 200] [--seconds 20] [--proxy-heap 256m] [--results cachet-bench/RESULTS.md]
 * </pre>
 */
public final class ProxyLoad {
  private static final ResultsSection SECTION = ResultsSection.named("proxy-load");
  private static final Duration UPSTREAM_TIMEOUT = ProxyLoadServer.UPSTREAM_TIMEOUT;
  private static final Duration UPSTREAM_IDLE = ProxyLoadServer.UPSTREAM_IDLE;
  private static final Duration CLIENT_IDLE = ProxyLoadServer.CLIENT_IDLE;
  private static final int MAX_REQUEST_BYTES = ProxyLoadServer.MAX_REQUEST_BYTES;
  /** The slack a request may take beyond the timeouts that bound it (scheduling, GC). */
  private static final Duration SLACK = Duration.ofSeconds(3);

  /** What a client does, with its share of the mix in percent. */
  private enum Kind {
    HIT(35), MISS(15), STREAM_HIT(15), STREAM_MISS(5), STALLED_UPSTREAM(5),
    CLIENT_LEAVES_STREAM(5), BAD_JSON(10), TOO_LARGE(2), EMPTY_CONTENT(8);

    final int percent;

    Kind(int percent) {
      this.percent = percent;
    }
  }

  private ProxyLoad() {
  }

  /** Runs the load and prints (and optionally records) the report. */
  public static void main(String[] args) throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int clients = 200;
    int seconds = 20;
    String proxyHeap = "256m";
    Path results = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--clients" -> clients = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--proxy-heap" -> proxyHeap = args[i + 1];
        case "--results" -> results = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; usage: ProxyLoad [--clients N] [--seconds S] [--proxy-heap SIZE]"
            + " [--results PATH]");
      }
    }
    Map<Kind, ConcurrentLinkedQueue<Long>> nanos = new ConcurrentHashMap<>();
    Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    Map<Kind, AtomicLong> slowest = new ConcurrentHashMap<>();
    Instant started = Instant.now();

    Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx" + proxyHeap, "-cp", System.getProperty("java.class.path"),
        ProxyLoadServer.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader serverOut = new BufferedReader(new InputStreamReader(
        server.getInputStream(), StandardCharsets.UTF_8));
    long[] heap;
    try {
      String first = serverOut.readLine();
      if (first == null || !first.startsWith("port ")) {
        throw new IllegalStateException("the proxy JVM did not start: " + first);
      }
      int port = Integer.parseInt(first.substring(5).strip());
      Target proxy = new Target(URI.create("http://127.0.0.1:" + port + "/v1"), port);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10)).build();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      CountDownLatch done = new CountDownLatch(clients);
      for (int c = 0; c < clients; c++) {
        int id = c;
        Thread client = new Thread(() -> {
          try {
            long n = 0;
            while (System.nanoTime() < end) {
              Kind kind = pick();
              long t0 = System.nanoTime();
              String outcome;
              try {
                outcome = run(kind, http, proxy, id + "-" + n++);
              } catch (IOException | RuntimeException e) {
                outcome = e.getClass().getSimpleName();
              }
              long took = System.nanoTime() - t0;
              nanos.computeIfAbsent(kind, k -> new ConcurrentLinkedQueue<>()).add(took);
              slowest.computeIfAbsent(kind, k -> new AtomicLong()).accumulateAndGet(took,
                  Math::max);
              outcomes.computeIfAbsent(kind + " " + outcome, k -> new LongAdder()).increment();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            done.countDown();
          }
        }, "load-client-" + c);
        client.setDaemon(true);
        client.start();
      }
      if (!done.await(seconds + 120L, TimeUnit.SECONDS)) {
        throw new IllegalStateException("clients still running two minutes after the end");
      }
      server.getOutputStream().write("stop\n".getBytes(StandardCharsets.US_ASCII));
      server.getOutputStream().flush();
      heap = readHeap(serverOut);
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
      server.destroyForcibly();
    }
    String report = report(clients, seconds, started, nanos, outcomes, slowest, heap,
        proxyHeap);
    System.out.println(report);
    if (results != null) {
      String current = Files.exists(results) ? Files.readString(results) : "";
      Files.writeString(results, SECTION.replaceIn(current, SECTION.wrap(report), false));
      System.out.println("Wrote the proxy-load section of " + results);
    }
  }

  private static Kind pick() {
    int r = ThreadLocalRandom.current().nextInt(100);
    for (Kind k : Kind.values()) {
      if (r < k.percent) {
        return k;
      }
      r -= k.percent;
    }
    return Kind.HIT;
  }

  private static String chat(String prompt, boolean stream) {
    return "{\"model\":\"m\",\"temperature\":0,\"stream\":" + stream + ",\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"" + prompt + "\"}]}";
  }

  /** Where the proxy listens. */
  private record Target(URI baseUrl, int port) {
  }

  /** The proxy JVM's last line: {@code heap USED LIVE LIMIT}. */
  private static long[] readHeap(BufferedReader serverOut) throws IOException {
    String line;
    while ((line = serverOut.readLine()) != null) {
      if (line.startsWith("heap ")) {
        String[] parts = line.substring(5).strip().split(" ");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]),
            Long.parseLong(parts[2])};
      }
    }
    throw new IllegalStateException("the proxy JVM ended without reporting its heap");
  }

  /** One request of a kind; returns its outcome: the status code, or what happened. */
  private static String run(Kind kind, HttpClient http, Target proxy, String unique)
      throws IOException, InterruptedException {
    int hot = ThreadLocalRandom.current().nextInt(50);
    String body = switch (kind) {
      case HIT -> chat("hot question " + hot, false);
      case STREAM_HIT -> chat("hot question " + hot, true);
      case MISS -> chat("new question " + unique, false);
      case STREAM_MISS -> chat("new streamed question " + unique, true);
      case STALLED_UPSTREAM -> chat("stall " + unique, ThreadLocalRandom.current().nextBoolean());
      case BAD_JSON -> "{\"model\":\"m\",\"messages\":[{\"role\":";
      case TOO_LARGE -> chat("x".repeat(MAX_REQUEST_BYTES + 10), false);
      case EMPTY_CONTENT -> chat("", false);
      case CLIENT_LEAVES_STREAM -> chat("left behind " + unique, true);
    };
    if (kind == Kind.CLIENT_LEAVES_STREAM) {
      return leaveMidStream(proxy, body);
    }
    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
            URI.create(proxy.baseUrl() + "/chat/completions"))
        .header("Authorization", "Bearer load-key").header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException cut) {
      return response.statusCode() + " cut off";
    }
    return response.statusCode() + " " + response.headers().firstValue("X-Cache").orElse("-");
  }

  private static String leaveMidStream(Target proxy, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
          + "Bearer load-key\r\nContent-Type: application/json\r\nContent-Length: "
          + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[2048];
      int total = 0;
      while (total < 2048) {
        int n = in.read(buffer);
        if (n < 0) {
          return "ended before leaving";
        }
        total += n;
      }
      return "left";
    }
  }

  private static String report(int clients, int seconds, Instant started,
      Map<Kind, ConcurrentLinkedQueue<Long>> nanos, Map<String, LongAdder> outcomes,
      Map<Kind, AtomicLong> slowest, long[] heap, String proxyHeap) {
    StringBuilder b = new StringBuilder();
    b.append("## LLM proxy under load\n\n")
        .append("Written by `dev.cachet.bench.ProxyLoad` (not part of the short suite):\n\n```\n")
        .append("java -cp cachet-bench/target/benchmarks.jar dev.cachet.bench.ProxyLoad")
        .append(" --clients ").append(clients).append(" --seconds ").append(seconds)
        .append(" --proxy-heap ").append(proxyHeap)
        .append(" --results cachet-bench/RESULTS.md\n```\n\n")
        .append("The proxy runs in a JVM of its own (`ProxyLoadServer`, `-Xmx").append(proxyHeap)
        .append("`), so its heap is measured alone; ")
        .append(clients).append(" client threads in another JVM send requests one")
        .append(" after another for ").append(seconds).append(" s on loopback, mixing kinds by")
        .append(" share (below). The stand-in upstream answers after 20 ms, streams 200 words")
        .append(" 2 ms apart, and stalls after the headers for prompts starting with `stall`.")
        .append(" Proxy: 64 threads, exact cache in memory, upstream timeout ")
        .append(UPSTREAM_TIMEOUT.toSeconds()).append(" s, upstream idle timeout ")
        .append(UPSTREAM_IDLE.toSeconds()).append(" s, client idle timeout ")
        .append(CLIENT_IDLE.toSeconds()).append(" s, request limit 1 MiB.\n\n")
        .append("| | |\n|---|---|\n| Date | ").append(started.truncatedTo(ChronoUnit.SECONDS))
        .append(" |\n| Cores | ").append(Runtime.getRuntime().availableProcessors())
        .append(" logical |\n| JDK | ").append(System.getProperty("java.runtime.version"))
        .append(" |\n| Proxy heap, largest in use | ").append(heap[0] >> 20).append(" MiB of ")
        .append(heap[2] >> 20).append(" MiB (-Xmx), garbage included, sampled every 50 ms")
        .append(" |\n| Proxy heap, largest live | ").append(heap[1] >> 20)
        .append(" MiB: what the heap pools held after their last collection, at any sample")
        .append(" |\n\n")
        .append("| Kind | Share | Requests | p50 | p99 | slowest | bound |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|\n");
    int overdue = 0;
    for (Kind kind : Kind.values()) {
      List<Long> all = new ArrayList<>(nanos.getOrDefault(kind, new ConcurrentLinkedQueue<>()));
      Collections.sort(all);
      Duration bound = bound(kind);
      long max = slowest.getOrDefault(kind, new AtomicLong()).get();
      if (max > bound.toNanos()) {
        overdue++;
      }
      b.append("| ").append(kind.name().toLowerCase(Locale.ROOT).replace('_', ' ')).append(" | ")
          .append(kind.percent).append(" % | ").append(all.size()).append(" | ")
          .append(ms(percentile(all, 50))).append(" | ").append(ms(percentile(all, 99)))
          .append(" | ").append(ms(max)).append(" | ").append(bound.toSeconds()).append(" s |\n");
    }
    b.append("\nAnswers by kind (status and X-Cache, or what the client saw):\n\n")
        .append("| Kind and outcome | Count |\n|---|---:|\n");
    new TreeMap<>(outcomes).forEach((k, v) -> b.append("| ").append(k).append(" | ")
        .append(v.sum()).append(" |\n"));
    b.append("\nRequests that outlived their bound: ").append(overdue == 0 ? "none"
        : overdue + " kinds had some (see the slowest column)").append(".\n");
    return b.toString();
  }

  /** The longest a request of a kind may take under the proxy's timeouts, with slack. */
  private static Duration bound(Kind kind) {
    return switch (kind) {
      case STALLED_UPSTREAM -> UPSTREAM_IDLE.plus(SLACK);
      case TOO_LARGE, BAD_JSON, EMPTY_CONTENT, HIT, STREAM_HIT, CLIENT_LEAVES_STREAM ->
          UPSTREAM_TIMEOUT.plus(SLACK);
      case MISS, STREAM_MISS -> UPSTREAM_TIMEOUT.plus(UPSTREAM_IDLE).plus(SLACK);
    };
  }

  private static long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }
}
