package dev.cachet.cli;

import dev.cachet.disk.DiskStore;
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

/** {@code cachet clear DIR}: removes entries from a disk store. */
@Command(
    name = "clear",
    mixinStandardHelpOptions = true,
    description = {"Removes every entry of a disk store, or those of one namespace, or those "
        + "carrying one tag, and prints how many were removed. It asks no question: a cache "
        + "only loses work that can be redone."},
    footer = {"", "Examples:", "  cachet clear .cachet", "  cachet clear .cachet --tag users"})
public final class ClearCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store's directory.")
  Path dir;

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
    PrintWriter out = spec.commandLine().getOut();
    String kind;
    String value;
    long removed;
    long failuresBefore;
    long failuresAfter;
    Path where;
    try (DiskStore store = StoreDirectory.open(dir)) {
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
