package dev.cachet.cli;

import dev.cachet.cli.simulate.Progress;
import dev.cachet.cli.simulate.ResultFormat;
import dev.cachet.cli.simulate.SimulatedPolicy;
import dev.cachet.cli.simulate.SimulationResult;
import dev.cachet.cli.simulate.Simulator;
import dev.cachet.cli.simulate.Trace;
import dev.cachet.cli.simulate.TraceException;
import dev.cachet.cli.simulate.TraceFormat;
import dev.cachet.cli.simulate.TraceReader;
import dev.cachet.cli.simulate.plot.PlotWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
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
        "cachet simulate --trace=FILE --sizes=SIZE[,SIZE...] [--trace-format=FORMAT]",
        "                [--policies=POLICY[,POLICY...]] [--format=FORMAT] [--plot=FILE]",
        "                [--progress]"},
    description = {
        "Replays a cache trace through each eviction policy at each cache size, and prints the"
            + " hit ratios.",
        "",
        "Trace formats (--trace-format):",
        "  lirs             text, one decimal key per line; lines of * skipped (default)",
        "  arc              text, START COUNT [IGNORED REQUEST] per line: COUNT blocks",
        "                   from START, each one access",
        "  cache2k          binary, 4-byte big-endian integer keys",
        "  cloudphysics     binary, 4-byte little-endian unsigned block numbers",
        "  corda            binary, 8-byte big-endian keys",
        "  scarab           binary, 8-byte big-endian keys",
        "  libcachesim-csv  text, CSV; the key column is the one headed obj_id, key,",
        "                   id, lbn (or similar), else the second column",
        "  oracle-general   binary, libCacheSim oracleGeneral: 24-byte little-endian",
        "                   records (timestamp, object id, size, next access)",
        "Where a format carries object sizes (libcachesim-csv, oracle-general), only the"
            + " keys are read: the simulator counts entries, not bytes.",
        "",
        "Compressed traces (gzip, xz, zstd, bzip2) are recognized by their content, whatever"
            + " their name, and read directly.",
        "",
        "--plot FILE also draws hit ratio against cache size, one curve per policy: a PNG"
            + " image when FILE ends in .png, an HTML page (inline SVG, no scripts) when it ends"
            + " in .html.",
        ""},
    footer = {"", "Examples (gli is a reference trace kept in the repository's traces/ folder):",
        "  cachet simulate --trace traces/gli.trace.gz --sizes 250,500,1000,2000",
        "  cachet simulate -t traces/gli.trace.gz -s 250,500,1000,2000 --plot gli.png",
        "  cachet simulate -t w106.trace.xz --trace-format cloudphysics -s 1000,10000"})
public final class SimulateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = {"-t", "--trace"}, required = true, paramLabel = "FILE",
      description = "The trace to replay, compressed (gzip, xz, zstd, bzip2) or not.")
  Path trace;

  @Option(names = "--trace-format", paramLabel = "FORMAT", defaultValue = "lirs",
      converter = TraceFormatConverter.class, completionCandidates = TraceFormatNames.class,
      description = "The trace's layout: ${COMPLETION-CANDIDATES} (see above)."
          + " Default: ${DEFAULT-VALUE}.")
  TraceFormat traceFormat;

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

  @Option(names = "--plot", paramLabel = "FILE",
      description = "Also draw hit ratio against cache size into FILE: a PNG image (.png) or"
          + " an HTML page with inline SVG (.html).")
  Path plot;

  @Option(names = "--progress",
      description = "Show a progress bar on stderr even when it is not a terminal.")
  boolean progress;

  /** Reads the trace, replays it and prints the results; a bad trace is a {@link UserError}. */
  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Checked before the simulation, which can take minutes, rather than after it.
    String plotProblem = plot == null ? null : PlotWriter.problemWith(plot);
    if (plotProblem != null) {
      throw new UserError(plotProblem, null);
    }
    Trace t;
    try {
      t = TraceReader.read(trace, traceFormat);
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
    if (plot != null) {
      try {
        PlotWriter.write(result, plot);
      } catch (UncheckedIOException e) {
        throw new UserError(e.getMessage(), e);
      }
      if (format == ResultFormat.TABLE) {
        out.println("Plot written to " + plot + ".");
        out.flush();
      }
    }
    return CommandLine.ExitCode.OK;
  }

  /** Parses a trace format's name, ignoring case; an unknown name lists the known ones. */
  static final class TraceFormatConverter implements CommandLine.ITypeConverter<TraceFormat> {
    @Override
    public TraceFormat convert(String value) {
      try {
        return TraceFormat.fromCliName(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** The trace formats' names, as the help lists them. */
  static final class TraceFormatNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(TraceFormat.values()).map(TraceFormat::cliName).iterator();
    }
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
