package dev.cachet.cli;

import dev.cachet.disk.DiskStore;
import dev.cachet.tier.Invalidation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cachet clear DIR} or {@code cachet clear --redis URI}: removes entries from a store;
 * from Redis, also tells every process of the fleet to drop them from its local tiers.
 */
@Command(
    name = "clear",
    mixinStandardHelpOptions = true,
    description = {"Removes every entry of a store (disk, or --redis), or those of one "
        + "namespace, or those carrying one tag, and prints how many were removed. It asks no "
        + "question: a cache only loses work that can be redone.",
        "With --redis, removes them from the Redis store and publishes the invalidation on the "
        + "fleet's bus, so every process drops its local copies too (see cachet invalidate for "
        + "one key and a reason, and cachet audit for the log)."},
    footer = {"", "Examples:", "  cachet clear .cachet", "  cachet clear .cachet --tag users",
        "  cachet clear --redis 'redis://127.0.0.1:6379?prefix=app' -n 'myFn:1:ab12:cd34'"})
public final class ClearCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
      description = "The disk store's directory (or give --redis).")
  Path dir;

  @Option(names = "--redis", paramLabel = "URI",
      description = "A Redis store instead, such as redis://host:6379?prefix=app.")
  String redis;

  /** At most one scope; none means everything. */
  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Scope scope;

  /** The mutually exclusive ways to narrow what is cleared. */
  static final class Scope {
    @Option(names = {"-n", "--namespace"}, paramLabel = "N",
        description = "Remove only the entries of this namespace.")
    String namespace;

    @Option(names = {"-t", "--tag"}, paramLabel = "T",
        description = "Remove only the entries carrying this tag.")
    String tag;
  }

  @Option(names = "--json", description = "Print one JSON object instead of a sentence.")
  boolean json;

  /** Removes the chosen entries and says how many. */
  @Override
  public Integer call() {
    RedisTarget.requireOneTarget(spec, dir, redis);
    if (redis != null) {
      Invalidation what = scope != null && scope.namespace != null
          ? Invalidation.namespace(scope.namespace, InvalidateCommand.DEFAULT_REASON)
          : scope != null && scope.tag != null
              ? Invalidation.tag(scope.tag, InvalidateCommand.DEFAULT_REASON)
              : Invalidation.all(InvalidateCommand.DEFAULT_REASON);
      InvalidateCommand.run(spec.commandLine().getOut(), redis, what, json);
      return CommandLine.ExitCode.OK;
    }
    PrintWriter out = spec.commandLine().getOut();
    String kind;
    String value;
    long removed;
    long failuresBefore;
    long failuresAfter;
    Path where;
    try (DiskStore store = StoreDirectory.open(dir, true)) {
      where = store.directory();
      failuresBefore = store.stats().failures();
      if (scope != null && scope.namespace != null) {
        kind = "namespace";
        value = scope.namespace;
        removed = store.removeNamespace(value);
      } else if (scope != null && scope.tag != null) {
        kind = "tag";
        value = scope.tag;
        removed = store.removeTag(value);
      } else {
        kind = "all";
        value = null;
        removed = store.removeAll();
      }
      failuresAfter = store.stats().failures();
    }
    if (failuresAfter > failuresBefore) {
      // The store never throws; its failure counter is how a refused delete shows.
      throw new UserError("Could not clear " + where + " (the database is locked or not "
          + "writable); nothing was removed.", null);
    }
    if (json) {
      out.println("{\"directory\": " + Json.str(where.toString()) + ", \"scope\": "
          + Json.str(kind) + ", \"value\": " + Json.str(value) + ", \"removed\": " + removed
          + "}");
    } else {
      String what = removed == 1 ? "1 entry" : removed + " entries";
      out.println(switch (kind) {
        case "namespace" -> "Removed " + what + " of namespace " + value + " from " + where + ".";
        case "tag" -> "Removed " + what + " tagged " + value + " from " + where + ".";
        default -> "Removed " + what + " (everything) from " + where + ".";
      });
    }
    out.flush();
    return CommandLine.ExitCode.OK;
  }
}
