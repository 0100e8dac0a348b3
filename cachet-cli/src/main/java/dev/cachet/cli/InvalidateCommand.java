package dev.cachet.cli;

import dev.cachet.tier.Invalidation;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cachet invalidate --redis URI ...}: removes a key, a namespace, a tag or everything
 * from a Redis store and publishes the invalidation on the fleet's bus, so every process drops
 * its local copies; the audit log records it with the reason.
 */
@Command(
    name = "invalidate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {"Removes entries from a Redis store and tells every process using it to drop "
        + "them from its memory and disk tiers. Give exactly one of --namespace (with --key for "
        + "one entry), --tag or --all. The invalidation log records who (this host and "
        + "process), what, when and --reason; see cachet audit."},
    footer = {"", "Examples:",
        "  cachet invalidate --redis redis://127.0.0.1:6379 -n 'kb_search:1:ab12:cd34'",
        "      -k 3f2a...e9 --reason 'bad answer reported'",
        "  cachet invalidate --redis 'rediss://app:pw@cache:6380?prefix=app' -t tenant-42",
        "  cachet invalidate --redis redis://127.0.0.1:6379 --all -r 'model upgrade'"})
public final class InvalidateCommand implements Callable<Integer> {
  /** The reason recorded when none is given. */
  static final String DEFAULT_REASON = "cachet CLI";

  @Spec
  CommandSpec spec;

  @Option(names = "--redis", paramLabel = "URI", required = true,
      description = "The Redis store, such as redis://host:6379 or redis://host:6379?prefix=app.")
  String redis;

  @Option(names = {"-n", "--namespace"}, paramLabel = "N",
      description = "Invalidate this namespace (every entry, or one with --key).")
  String namespace;

  @Option(names = {"-k", "--key"}, paramLabel = "DIGEST",
      description = "With --namespace: only the entry with this key digest.")
  String key;

  @Option(names = {"-t", "--tag"}, paramLabel = "T",
      description = "Invalidate every entry carrying this tag.")
  String tag;

  @Option(names = "--all", description = "Invalidate everything under the store's prefix.")
  boolean all;

  @Option(names = {"-r", "--reason"}, paramLabel = "R", defaultValue = DEFAULT_REASON,
      description = "Why, for the audit log. Default: ${DEFAULT-VALUE}.")
  String reason;

  @Option(names = "--json", description = "Print one JSON object instead of a sentence.")
  boolean json;

  /** Checks the scope, removes the entries, publishes, and reports. */
  @Override
  public Integer call() {
    if (key != null && namespace == null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--key needs --namespace: a digest names an entry within one namespace.");
    }
    int scopes = (namespace != null ? 1 : 0) + (tag != null ? 1 : 0) + (all ? 1 : 0);
    if (scopes != 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), scopes == 0
          ? "Say what to invalidate: --namespace N [--key DIGEST], --tag T or --all."
          : "Give only one of --namespace, --tag and --all.");
    }
    if (reason.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--reason must not be blank: it is what the audit log shows as why.");
    }
    Invalidation what = key != null ? Invalidation.key(namespace, key, reason)
        : namespace != null ? Invalidation.namespace(namespace, reason)
            : tag != null ? Invalidation.tag(tag, reason) : Invalidation.all(reason);
    run(spec.commandLine().getOut(), redis, what, json);
    return CommandLine.ExitCode.OK;
  }

  /**
   * Removes what {@code what} covers from the Redis store at {@code uri}, publishes it, and
   * prints what was done (shared with {@code clear --redis}).
   */
  static void run(PrintWriter out, String uri, Invalidation what, boolean json) {
    long removed;
    String logId;
    String where;
    try (RedisTarget target = RedisTarget.open(uri)) {
      where = target.describe();
      removed = target.call("remove the entries", store -> switch (what.scope()) {
        case KEY -> store.remove(what.namespace(), what.digest()) ? 1L : 0L;
        case NAMESPACE -> store.removeNamespace(what.namespace());
        case TAG -> store.removeTag(what.tag());
        case ALL -> {
          store.clear();
          yield -1L;
        }
      });
      logId = target.publish(what);
    }
    if (json) {
      out.println("{\"redis\": " + Json.str(where) + ", \"scope\": "
          + Json.str(what.scope().name().toLowerCase(java.util.Locale.ROOT))
          + ", \"namespace\": " + Json.str(what.namespace()) + ", \"digest\": "
          + Json.str(what.digest()) + ", \"tag\": " + Json.str(what.tag()) + ", \"removed\": "
          + removed + ", \"reason\": " + Json.str(what.reason()) + ", \"logId\": "
          + Json.str(logId) + "}");
    } else {
      String entries = removed == 1 ? "1 entry" : removed + " entries";
      out.println(switch (what.scope()) {
        case KEY -> (removed == 1 ? "Removed" : "Found no stored") + " entry " + what.digest()
            + " of namespace " + what.namespace() + " in " + where + ".";
        case NAMESPACE -> "Removed namespace " + what.namespace() + " from " + where + " ("
            + entries + " reclaimed so far; the rest are unreachable and reclaimed in the "
            + "background).";
        case TAG -> "Removed " + entries + " tagged " + what.tag() + " from " + where + ".";
        case ALL -> "Removed everything from " + where + ".";
      });
      out.println("Told every process to drop it from its local tiers (invalidation log entry "
          + logId + ", reason: " + what.reason() + ").");
    }
    out.flush();
  }
}
