package dev.cachet.cli;

import dev.cachet.disk.DiskStore;
import dev.cachet.redis.RedisInvalidationBus;
import dev.cachet.tier.StoreStats;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cachet stats DIR} or {@code cachet stats --redis URI}: a store's totals and counters. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {"Prints a store's totals: a disk store's entries, bytes and counters, "
        + "which every process using it adds to, or (--redis) what a Redis store shares.",
        "With --redis: the keys in the database, the entries of one namespace (--namespace), "
        + "the invalidation log's length and time span, and the fleet locks held now (hit and "
        + "miss counters live in each process)."},
    footer = {"", "Examples:", "  cachet stats .cachet --json",
        "  cachet stats --proxy http://127.0.0.1:8787",
        "  cachet stats --redis redis://127.0.0.1:6379 -n 'myFn:1:ab12:cd34'"})
public final class StatsCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
      description = "The disk store's directory (or give --redis).")
  Path dir;

  @Option(names = "--redis", paramLabel = "URI",
      description = "A Redis store instead, such as redis://host:6379 or "
          + "redis://host:6379?prefix=app.")
  String redis;

  @Option(names = {"-n", "--namespace"}, paramLabel = "N",
      description = "With --redis: also count the entries of this namespace (a SCAN).")
  String namespace;

  @Option(names = "--proxy", paramLabel = "URL",
      description = "A running `cachet serve` instead, such as http://127.0.0.1:8787: its"
          + " requests by X-Cache status and, per tenant and model, the hits and the tokens"
          + " and cost they saved (from its /metrics).")
  URI proxy;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  /** Opens the store, reads its statistics and prints them. */
  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (proxy != null) {
      if (dir != null || redis != null) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "Give one of a disk store directory, --redis or --proxy, not several.");
      }
      printProxy(out, ProxySavings.fetch(proxy));
      out.flush();
      return CommandLine.ExitCode.OK;
    }
    RedisTarget.requireOneTarget(spec, dir, redis);
    if (redis != null) {
      try (RedisTarget target = RedisTarget.open(redis)) {
        printRedis(out, target);
      }
      out.flush();
      return CommandLine.ExitCode.OK;
    }
    StoreStats s;
    Path where;
    try (DiskStore store = StoreDirectory.open(dir)) {
      s = store.stats();
      where = store.directory();
    }
    // Insertion order is the output order, for both formats.
    Map<String, Long> values = new LinkedHashMap<>();
    values.put("entries", s.entries());
    values.put("bytes", s.bytes());
    values.put("hits", s.hits());
    values.put("misses", s.misses());
    values.put("writes", s.writes());
    values.put("evictions", s.evictions());
    values.put("expirations", s.expirations());
    values.put("corruptions", s.corruptions());
    values.put("failures", s.failures());
    if (json) {
      StringBuilder b = new StringBuilder("{\"directory\": ").append(Json.str(where.toString()));
      values.forEach((k, v) -> b.append(", ").append(Json.str(k)).append(": ").append(v));
      out.println(b.append('}'));
    } else {
      out.println("Store " + where);
      Table table = new Table("COUNTER", "VALUE");
      values.forEach(table::row);
      table.print(out);
    }
    out.flush();
    return CommandLine.ExitCode.OK;
  }

  private void printProxy(PrintWriter out, ProxySavings savings) {
    if (json) {
      StringBuilder b = new StringBuilder("{\"proxy\": ").append(Json.str(proxy.toString()))
          .append(", \"requests\": {");
      String sep = "";
      for (Map.Entry<String, Long> e : savings.requests.entrySet()) {
        b.append(sep).append(Json.str(e.getKey())).append(": ").append(e.getValue());
        sep = ", ";
      }
      b.append("}, \"saved\": [");
      sep = "";
      for (ProxySavings.Saved s : savings.saved.values()) {
        b.append(sep).append("{\"tenant\": ").append(Json.str(s.tenant))
            .append(", \"model\": ").append(Json.str(s.model))
            .append(", \"hits\": ").append(s.hits)
            .append(", \"promptTokens\": ").append(s.promptTokens)
            .append(", \"completionTokens\": ").append(s.completionTokens)
            .append(", \"costUsd\": ").append(String.format(Locale.ROOT, "%.6f", s.costUsd))
            .append('}');
        sep = ", ";
      }
      out.println(b.append("]}"));
      return;
    }
    out.println("Proxy " + proxy);
    Table requests = new Table("X-CACHE", "REQUESTS");
    savings.requests.forEach(requests::row);
    requests.print(out);
    out.println();
    Table saved = new Table("TENANT", "MODEL", "HITS", "PROMPT TOKENS SAVED",
        "COMPLETION TOKENS SAVED", "COST SAVED (USD)");
    for (ProxySavings.Saved s : savings.saved.values()) {
      saved.row(s.tenant, s.model, s.hits, s.promptTokens, s.completionTokens,
          String.format(Locale.ROOT, "%.6f", s.costUsd));
    }
    saved.print(out);
  }

  private void printRedis(PrintWriter out, RedisTarget target) {
    long keys = target.call("read the statistics", store -> store.stats().entries());
    long inNamespace = namespace == null ? -1
        : target.call("count the entries of " + namespace, store -> store.countEntries(namespace));
    RedisInvalidationBus.LogSummary log = target.call("read the invalidation log",
        store -> target.bus().logSummary());
    List<String> locks = target.call("list the fleet locks",
        store -> target.coherence().fleetFlight().heldLocks(10_000));
    if (json) {
      StringBuilder b = new StringBuilder("{\"redis\": ").append(Json.str(target.describe()))
          .append(", \"cluster\": ").append(target.store.isCluster())
          .append(", \"databaseKeys\": ").append(keys);
      if (namespace != null) {
        b.append(", \"namespace\": ").append(Json.str(namespace))
            .append(", \"namespaceEntries\": ").append(inNamespace);
      }
      b.append(", \"invalidationLog\": {\"length\": ").append(log.length())
          .append(", \"oldest\": ").append(at(log.oldest()))
          .append(", \"newest\": ").append(at(log.newest())).append('}')
          .append(", \"locksHeld\": ").append(locks.size()).append('}');
      out.println(b);
      return;
    }
    out.println("Redis store " + target.describe() + (target.store.isCluster() ? " (cluster)"
        : ""));
    Table table = new Table("COUNTER", "VALUE");
    table.row("keys in the database", keys + " (every application's, and index keys)");
    if (namespace != null) {
      table.row("entries of " + namespace, inNamespace);
    }
    table.row("invalidation log", log.length() == 1 ? "1 entry" : log.length() + " entries");
    if (log.oldest() != null) {
      table.row("  oldest", time(log.oldest()));
      table.row("  newest", time(log.newest()));
    }
    table.row("fleet locks held", locks.size());
    table.print(out);
  }

  private static String at(RedisInvalidationBus.LogEntry e) {
    return e == null ? "null" : Long.toString(millis(e));
  }

  private static String time(RedisInvalidationBus.LogEntry e) {
    return Instant.ofEpochMilli(millis(e)).toString();
  }

  /** When an entry was logged: its stream id starts with the server's clock in millis. */
  private static long millis(RedisInvalidationBus.LogEntry e) {
    String id = e.id();
    int dash = id.indexOf('-');
    return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
  }
}
