package dev.cachet.cli;

import dev.cachet.disk.CheckReport;
import dev.cachet.disk.DiskStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cachet check DIR [--fix]}: verifies a disk store and optionally repairs it. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {"Verifies a disk store: the SQLite database, every entry's frame and "
        + "checksum, side files no entry names, and the stored totals. With --fix, removes "
        + "damaged entries and orphaned files and recomputes the totals.",
        "",
        "Exit code: 0 when the store is clean or was fixed, 1 when problems remain, 2 on "
            + "errors."},
    footer = {"", "Example:", "  cachet check .cachet --fix"})
public final class CheckCommand implements Callable<Integer> {
  /** The exit code when problems remain. */
  static final int PROBLEMS_REMAIN = 1;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store's directory.")
  Path dir;

  @Option(names = "--fix", description = "Repair what can be repaired.")
  boolean fix;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  /** Runs the check and prints the report. */
  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CheckReport report;
    Path where;
    try (DiskStore store = StoreDirectory.open(dir, fix)) {
      where = store.directory();
      report = store.check(fix);
    }
    if (json) {
      StringBuilder b = new StringBuilder("{\"directory\": ").append(Json.str(where.toString()))
          .append(", \"fix\": ").append(fix)
          .append(", \"entriesChecked\": ").append(report.entriesChecked())
          .append(", \"filesChecked\": ").append(report.filesChecked())
          .append(", \"healthy\": ").append(report.healthy())
          .append(", \"problems\": [");
      for (int i = 0; i < report.problems().size(); i++) {
        CheckReport.Problem p = report.problems().get(i);
        b.append(i == 0 ? "" : ", ")
            .append("{\"kind\": ").append(Json.str(p.kind().name()))
            .append(", \"namespace\": ").append(Json.str(p.namespace()))
            .append(", \"location\": ").append(Json.str(p.location()))
            .append(", \"detail\": ").append(Json.str(p.detail()))
            .append(", \"fixed\": ").append(p.fixed()).append('}');
      }
      out.println(b.append("]}"));
    } else {
      out.println("Checked " + where + ": " + count(report.entriesChecked(), "entry", "entries")
          + ", " + count(report.filesChecked(), "side file", "side files") + ".");
      if (report.clean()) {
        out.println("No problems found.");
      } else {
        Table table = new Table("PROBLEM", "NAMESPACE", "DIGEST/PATH", "STATUS", "DETAIL");
        for (CheckReport.Problem p : report.problems()) {
          table.row(p.kind(), p.namespace(), p.location(), p.fixed() ? "fixed" : "present",
              p.detail());
        }
        table.print(out);
        int remaining = report.remaining().size();
        int fixed = report.problems().size() - remaining;
        out.println(count(report.problems().size(), "problem", "problems") + " found, " + fixed
            + " fixed, " + remaining + " remaining." + (remaining > 0 && !fix
                ? " Run with --fix to repair them." : ""));
      }
    }
    out.flush();
    return report.healthy() ? CommandLine.ExitCode.OK : PROBLEMS_REMAIN;
  }

  private static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
