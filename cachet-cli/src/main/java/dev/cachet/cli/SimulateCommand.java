package dev.cachet.cli;

import dev.cachet.cli.simulate.Progress;
import dev.cachet.cli.simulate.ResultFormat;
import dev.cachet.cli.simulate.SimulatedPolicy;
import dev.cachet.cli.simulate.SimulationResult;
import dev.cachet.cli.simulate.Simulator;
import dev.cachet.cli.simulate.Trace;
import dev.cachet.cli.simulate.TraceException;
import dev.cachet.cli.simulate.TraceReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cachet simulate}: replays a trace through the eviction policies and prints hit ratios. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    customSynopsis = {
        "cachet simulate --trace=FILE --sizes=SIZE[,SIZE...]",
        "                [--policies=POLICY[,POLICY...]] [--format=FORMAT] [--progress]"},
    description = {
        "Replays a cache trace through each eviction policy at each cache size, and prints the"
            + " hit ratios.",
        "",
        "The trace is in the LIRS text format: one decimal integer key per line; lines holding"
            + " only * are breakpoints and skipped. Gzip-compressed files (.gz) are read directly."},
    footer = {"", "Example (a reference trace kept in the repository's traces/ folder):",
        "  cachet simulate --trace traces/gli.trace.gz --sizes 250,500,1000,2000"})
public final class SimulateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = {"-t", "--trace"}, required = true, paramLabel = "FILE",
      description = "The trace to replay (plain text or gzip).")
  Path trace;

  @Option(names = {"-s", "--sizes"}, required = true, split = ",", paramLabel = "SIZE",
      converter = SizeConverter.class,
      description = "Cache sizes in entries, separated by commas, such as 250,500,1000.")
  List<Integer> sizes;

  @Option(names = {"-p", "--policies"}, split = ",", paramLabel = "POLICY",
      defaultValue = "LRU,LFU,FIFO,ADAPTIVE,OPT",
      description = "Policies to compare, separated by commas: ${COMPLETION-CANDIDATES}."
          + " Default: Cachet's four policies and OPT; the others are simulator-only models"
          + " of candidate designs (SHADOW and SHADOW_SWITCH are Cachet's own).")
  List<SimulatedPolicy> policies;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  ResultFormat format;

  @Option(names = "--progress",
      description = "Show a progress bar on stderr even when it is not a terminal.")
  boolean progress;

  /** Reads the trace, replays it and prints the results; a bad trace is a {@link UserError}. */
  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Trace t;
    try {
      t = TraceReader.read(trace);
    } catch (TraceException e) {
      throw new UserError(e.getMessage(), e);
    }
    boolean showProgress = progress || System.console() != null;
    ProgressBar bar = showProgress ? new ProgressBar(err) : null;
    long start = System.nanoTime();
    SimulationResult result =
        Simulator.run(t, policies, sizes, bar == null ? Progress.NONE : bar);
    if (bar != null) {
      bar.finish();
    }
    out.print(format.render(result));
    if (format == ResultFormat.TABLE) {
      out.printf("Simulated in %.1f s.%n", (System.nanoTime() - start) / 1e9);
    }
    out.flush();
    return CommandLine.ExitCode.OK;
  }

  /** Parses one cache size, refusing anything but a positive whole number. */
  static final class SizeConverter implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      String v = value.strip();
      try {
        int size = Integer.parseInt(v);
        if (size > 0) {
          return size;
        }
      } catch (NumberFormatException e) {
        // Reported below with the same message as a non-positive size.
      }
      throw new CommandLine.TypeConversionException("'" + value + "' is not a cache size"
          + " (expected a positive whole number of entries, such as 1000)");
    }
  }
}
