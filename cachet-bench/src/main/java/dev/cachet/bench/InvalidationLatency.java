package dev.cachet.bench;

import dev.cachet.redis.CoherenceSettings;
import dev.cachet.redis.RedisInvalidationBus;
import dev.cachet.tier.Invalidation;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how long an invalidation takes to reach another process's bus: two
 * {@link RedisInvalidationBus}es, each with its own Lettuce client and connections as two
 * processes would have, publish in one and receive in the other; latency is from just before
 * {@code publish} to the receiver's callback, on one clock ({@link System#nanoTime()}).
 *
 * <p>Not a JMH benchmark, so the short suite (which needs no Redis) does not run it; run it by
 * hand against a redis-server on loopback:
 *
 * <pre>
 * java -cp cachet-bench/target/benchmarks.jar dev.cachet.bench.InvalidationLatency \
 *     [--redis redis://127.0.0.1:6379] [--messages 10000] [--rate 1000] \
 *     [--results cachet-bench/RESULTS.md]
 * </pre>
 *
 * <p>Two runs: <b>one at a time</b> (publish, wait until received, repeat: the latency with
 * nothing queued) and <b>paced</b> (a steady {@code --rate} per second without waiting, as a
 * busy fleet would publish). Each prints p50, p90, p99, p99.9 and the maximum, in
 * microseconds, after a warm-up of a fifth as many messages. With {@code --results}, also
 * rewrites the "Redis coherence" section of that file (between {@link #START} and
 * {@link #END}), leaving the rest alone.
 */
public final class InvalidationLatency {
  /** The Redis coherence section of RESULTS.md. */
  static final ResultsSection SECTION = ResultsSection.named("redis-coherence");
  /** Where the section starts. */
  static final String START = SECTION.start();
  /** Where the section ends. */
  static final String END = SECTION.end();
  /** The goal of the coherence issue: p99 propagation on loopback. */
  static final double P99_GOAL_MICROS = 10_000;

  private InvalidationLatency() {
  }

  /** Runs both measurements and prints their percentiles. */
  public static void main(String[] args) throws Exception {
    String uri = "redis://127.0.0.1:6379";
    int messages = 10_000;
    int rate = 1_000;
    java.nio.file.Path results = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--redis" -> uri = args[++i];
        case "--messages" -> messages = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--results" -> results = java.nio.file.Path.of(args[++i]);
        default -> {
          System.err.println("Unknown argument " + args[i] + "; usage: InvalidationLatency "
              + "[--redis URI] [--messages N] [--rate PER_SECOND] [--results FILE]");
          System.exit(2);
        }
      }
    }
    // A prefix of its own: the run neither sees nor disturbs a fleet using the same server.
    String prefix = "cachet-bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    CoherenceSettings settings = CoherenceSettings.defaults().prefix(prefix);
    int total = messages + messages / 5;
    AtomicLongArray received = new AtomicLongArray(total);
    String loadBefore = loadAverage();
    java.time.Instant start = java.time.Instant.now();
    double[] oneAtATimeStats;
    double[] pacedStats;
    String server;
    try (RedisInvalidationBus sender = RedisInvalidationBus.open(uri, settings);
        RedisInvalidationBus receiver = RedisInvalidationBus.open(uri, settings)) {
      receiver.subscribe(inv -> {
        if (inv.scope() != Invalidation.Scope.KEY) {
          return;
        }
        int seq = Integer.parseInt(inv.digest());
        received.set(seq, System.nanoTime());
      });
      System.out.printf(Locale.ROOT, "Invalidation propagation on %s, %d messages after %d "
          + "warm-up (latency in microseconds)%n", uri, messages, messages / 5);
      long[] oneAtATime = run(sender, received, total, 0);
      oneAtATimeStats = print("one at a time", oneAtATime, messages);
      for (int i = 0; i < total; i++) {
        received.set(i, 0);
      }
      long[] paced = run(sender, received, total, rate);
      pacedStats = print("paced " + rate + "/s", paced, messages);
      System.out.printf(Locale.ROOT, "receiver: %s%n", receiver.stats());
      // Leave nothing behind on a shared server.
      sender.publishAsync(Invalidation.all("benchmark done")).get(5, TimeUnit.SECONDS);
    }
    try (var client = io.lettuce.core.RedisClient.create(uri);
        var c = client.connect()) {
      c.sync().del(prefix + ":inv:log");
      server = c.sync().info("server").lines().filter(l -> l.startsWith("redis_version:"))
          .map(l -> l.substring("redis_version:".length()).strip()).findFirst().orElse("?");
    }
    if (results != null) {
      String section = render(uri, server, messages, rate, start, loadBefore, loadAverage(),
          oneAtATimeStats, pacedStats);
      String existing = java.nio.file.Files.exists(results)
          ? java.nio.file.Files.readString(results) : "";
      java.nio.file.Files.writeString(results, SECTION.replaceIn(existing, section, false));
      System.out.println("Redis coherence section written to " + results.toAbsolutePath());
    }
  }



  private static String render(String uri, String server, int messages, int rate,
      java.time.Instant start, String loadBefore, String loadAfter, double[] oneAtATime,
      double[] paced) {
    StringBuilder md = new StringBuilder();
    md.append(START).append('\n');
    md.append("## Redis coherence: invalidation propagation\n\n");
    md.append("Reproduce (rewrites only this section; a redis-server of its own keeps other "
        + "clients' commands from queueing in front of the bus's):\n\n```\n")
        .append("mvn -q -DskipTests -pl cachet-bench -am package\n")
        .append("redis-server --port 6391 --save '' &\n")
        .append("java -cp cachet-bench/target/benchmarks.jar dev.cachet.bench.InvalidationLatency"
            + " --redis redis://127.0.0.1:6391 --results cachet-bench/RESULTS.md\n```\n\n");
    md.append("Two `RedisInvalidationBus`es, each with its own Lettuce client and connections as "
        + "two processes would have, on ").append(uri.replaceAll("://[^@]*@", "://"))
        .append(" (Redis ").append(server).append(", loopback). Latency runs from just before "
        + "`publish` (XADD to the capped log + PUBLISH, one Lua script) to the other bus's "
        + "receiver callback, on one clock; ").append(String.format(Locale.ROOT, "%,d", messages))
        .append(" messages per run after ").append(String.format(Locale.ROOT, "%,d", messages / 5))
        .append(" of warm-up. *One at a time* waits for each message before the next; *paced* "
        + "publishes ").append(rate).append(" per second without waiting.\n\n");
    md.append("| | |\n|---|---|\n");
    md.append("| Date | ").append(start.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
        .append(" |\n");
    md.append("| Cores | ").append(Runtime.getRuntime().availableProcessors())
        .append(" logical |\n");
    md.append("| JDK | ").append(System.getProperty("java.vm.version")).append(" |\n");
    md.append("| Load average (1/5/15 min) | before ").append(loadBefore).append(", after ")
        .append(loadAfter).append(" |\n\n");
    md.append("| run | p50 | p90 | p99 | p99.9 | max | p99 <= 10 ms |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    row(md, "one at a time", oneAtATime);
    row(md, "paced " + rate + "/s", paced);
    md.append("\nLatencies in microseconds. The tail follows the machine, not the bus: on a "
        + "shared 2-core machine other processes' threads delay the receiving thread (see the "
        + "load average), and a redis-server busy with other clients (another benchmark) "
        + "queues these messages behind their commands.\n");
    md.append(END);
    return md.toString();
  }

  private static void row(StringBuilder md, String name, double[] p) {
    md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %s |%n",
        name, p[0], p[1], p[2], p[3], p[4], p[2] <= P99_GOAL_MICROS ? "**PASS**" : "**MISS**"));
  }

  private static String loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
          .split(" ");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /**
   * Publishes {@code total} key invalidations whose digest is their sequence number; with
   * {@code rate} 0 waits for each to arrive, else paces them. Returns the latencies in nanos.
   */
  private static long[] run(RedisInvalidationBus sender, AtomicLongArray received, int total,
      int rate) throws InterruptedException {
    long[] sent = new long[total];
    long interval = rate == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / rate;
    long next = System.nanoTime();
    for (int seq = 0; seq < total; seq++) {
      if (interval > 0) {
        while (System.nanoTime() < next) {
          LockSupport.parkNanos(next - System.nanoTime());
        }
        next += interval;
      }
      sent[seq] = System.nanoTime();
      sender.publish(Invalidation.key("bench", Integer.toString(seq), "latency"));
      if (interval == 0) {
        awaitReceived(received, seq);
      }
    }
    for (int seq = 0; seq < total; seq++) {
      awaitReceived(received, seq);
    }
    long[] latencies = new long[total];
    for (int seq = 0; seq < total; seq++) {
      latencies[seq] = received.get(seq) - sent[seq];
    }
    return latencies;
  }

  private static void awaitReceived(AtomicLongArray received, int seq) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received.get(seq) == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("invalidation " + seq + " did not arrive within 10 s");
      }
      // Short parks: the receiver's thread does the work; this one must not hog a core.
      LockSupport.parkNanos(20_000);
    }
  }

  /** Prints and returns p50, p90, p99, p99.9 and the maximum of the measured part, in µs. */
  private static double[] print(String name, long[] latencies, int measured) {
    long[] m = Arrays.copyOfRange(latencies, latencies.length - measured, latencies.length);
    Arrays.sort(m);
    double[] p = {us(m, 0.50), us(m, 0.90), us(m, 0.99), us(m, 0.999), m[m.length - 1] / 1e3};
    System.out.printf(Locale.ROOT, "%-16s p50 %7.0f  p90 %7.0f  p99 %7.0f  p99.9 %7.0f  "
        + "max %7.0f%n", name, p[0], p[1], p[2], p[3], p[4]);
    return p;
  }

  private static double us(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e3;
  }
}
