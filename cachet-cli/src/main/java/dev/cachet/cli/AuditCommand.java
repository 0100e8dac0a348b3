package dev.cachet.cli;

import dev.cachet.redis.RedisInvalidationBus;
import dev.cachet.tier.Invalidation;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cachet audit --redis URI}: the invalidation log, newest first: who, what, when, why. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {"Lists the most recent invalidations of a Redis store's fleet, newest first: "
        + "when, who (process id @ host / instance; cli-... for this command), what (a key, a "
        + "namespace, a tag or everything) and why. The log keeps the last 10,000 or so; it is "
        + "also what a process replays after losing its connection."},
    footer = {"", "Examples:", "  cachet audit --redis redis://127.0.0.1:6379",
        "  cachet audit --redis 'redis://127.0.0.1:6379?prefix=app' --limit 200 --json"})
public final class AuditCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--redis", paramLabel = "URI", required = true,
      description = "The Redis store, such as redis://host:6379 or redis://host:6379?prefix=app.")
  String redis;

  @Option(names = "--limit", paramLabel = "COUNT", defaultValue = "20",
      description = "Show at most this many invalidations. Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  /** Reads the log and prints it. */
  @Override
  public Integer call() {
    if (limit <= 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--limit must be a positive number, got " + limit);
    }
    PrintWriter out = spec.commandLine().getOut();
    List<RedisInvalidationBus.LogEntry> entries;
    String where;
    try (RedisTarget target = RedisTarget.open(redis)) {
      where = target.describe();
      entries = target.call("read the invalidation log", store -> target.bus().log(limit));
    }
    if (json) {
      StringBuilder b = new StringBuilder("{\"redis\": ").append(Json.str(where))
          .append(", \"entries\": [");
      for (int i = 0; i < entries.size(); i++) {
        RedisInvalidationBus.LogEntry e = entries.get(i);
        Invalidation inv = e.invalidation();
        b.append(i == 0 ? "" : ", ").append("{\"id\": ").append(Json.str(e.id()))
            .append(", \"at\": ").append(inv.atMillis())
            .append(", \"origin\": ").append(Json.str(inv.origin()))
            .append(", \"scope\": ").append(Json.str(scope(inv)))
            .append(", \"namespace\": ").append(Json.str(inv.namespace()))
            .append(", \"digest\": ").append(Json.str(inv.digest()))
            .append(", \"tag\": ").append(Json.str(inv.tag()))
            .append(", \"reason\": ").append(Json.str(inv.reason())).append('}');
      }
      out.println(b.append("]}"));
    } else if (entries.isEmpty()) {
      out.println("No invalidations in the log of " + where + ".");
    } else {
      Table table = new Table("WHEN", "WHO", "SCOPE", "WHAT", "WHY");
      for (RedisInvalidationBus.LogEntry e : entries) {
        Invalidation inv = e.invalidation();
        table.row(Instant.ofEpochMilli(inv.atMillis()), inv.origin(), scope(inv), what(inv),
            oneLine(inv.reason()));
      }
      table.print(out);
      out.println(entries.size() + (entries.size() == limit ? " invalidations shown (--limit "
          + limit + "; there may be more)." : entries.size() == 1 ? " invalidation."
          : " invalidations."));
    }
    out.flush();
    return CommandLine.ExitCode.OK;
  }

  private static String scope(Invalidation inv) {
    return inv.scope().name().toLowerCase(Locale.ROOT);
  }

  private static String what(Invalidation inv) {
    return switch (inv.scope()) {
      case KEY -> inv.namespace() + " " + inv.digest();
      case NAMESPACE -> inv.namespace();
      case TAG -> inv.tag();
      case ALL -> "everything";
    };
  }

  /** A reason with line breaks would break the table's rows. */
  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }
}
