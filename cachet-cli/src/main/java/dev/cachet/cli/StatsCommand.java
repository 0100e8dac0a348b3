package dev.cachet.cli;

import dev.cachet.disk.DiskStore;
import dev.cachet.tier.StoreStats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cachet stats DIR}: a disk store's totals and counters. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {"Prints a disk store's entry and byte totals and its counters, which every "
        + "process using the store adds to."},
    footer = {"", "Example:", "  cachet stats .cachet --json"})
public final class StatsCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store's directory.")
  Path dir;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  /** Opens the store, reads its statistics and prints them. */
  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
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
}
