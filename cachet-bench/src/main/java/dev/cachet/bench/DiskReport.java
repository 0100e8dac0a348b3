package dev.cachet.bench;

import dev.cachet.bench.BenchmarkReport.Machine;
import dev.cachet.bench.BenchmarkReport.Row;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the disk-tier benchmarks ({@link DiskOneThread}, {@link DiskTwoThreads},
 * {@link DiskThresholdBenchmark}) in the short configuration of {@link BenchmarkReport} and
 * rewrites the disk section of {@code RESULTS.md} (between {@link #START} and {@link #END}),
 * leaving the rest of the file alone. The ratios against the plain sqlite-jdbc floor and the
 * targets go to stdout too.
 *
 * <p>Usage: {@code DiskReport [--results FILE] [--json FILE] [--include REGEX]...}, as
 * {@link BenchmarkReport}.
 */
public final class DiskReport {
  /** The disk section of RESULTS.md; other runs keep it as it is. */
  static final ResultsSection SECTION = ResultsSection.named("disk-tier");
  /** Where the section starts. */
  static final String START = SECTION.start();
  /** Where the section ends. */
  static final String END = SECTION.end();
  /** The command documented in the section. */
  static final String COMMAND = "cachet-bench/run-disk.sh";
  /** What runs by default: every disk benchmark, nothing else. */
  static final String DEFAULT_INCLUDE = "dev\\.cachet\\.bench\\.Disk.*";

  /** Targets of the persistence issue, in operations per second (100-byte values). */
  static final double GET_TARGET = 200_000;
  static final double PUT_TARGET = 50_000;
  static final double LRU_RATIO_TARGET = 0.8;
  /** 100 KB reads at 1 GB/s. */
  static final double LARGE_BYTES_PER_SECOND_TARGET = 1e9;
  /** Payload of the 100 KB benchmarks. */
  static final int LARGE = DiskBenchmark.LARGE;

  private DiskReport() {
  }

  /**
   * Runs the disk benchmarks and rewrites the disk section of the report.
   *
   * @param args see the class documentation
   */
  public static void main(String[] args) throws IOException, RunnerException {
    ReportArgs parsed = ReportArgs.parse("DiskReport", args);
    Path results = parsed.results();
    Path json = parsed.json();
    List<String> includes = new ArrayList<>(parsed.includes());
    if (includes.isEmpty()) {
      includes.add(DEFAULT_INCLUDE);
    }
    ChainedOptionsBuilder options = new OptionsBuilder()
        .forks(BenchmarkReport.FORKS)
        .warmupIterations(BenchmarkReport.WARMUP_ITERATIONS)
        .warmupTime(BenchmarkReport.ITERATION_TIME)
        .measurementIterations(BenchmarkReport.MEASUREMENT_ITERATIONS)
        .measurementTime(BenchmarkReport.ITERATION_TIME)
        .jvmArgs(BenchmarkReport.FORK_JVM_ARGS)
        .shouldFailOnError(false)
        .resultFormat(ResultFormatType.JSON)
        .result(json.toString());
    includes.forEach(options::include);

    Machine machine = Machine.describe();
    String loadBefore = Machine.loadAverage();
    Instant start = Instant.now();
    Collection<RunResult> runs = new Runner(options.build()).run();
    Duration took = Duration.between(start, Instant.now());
    String loadAfter = Machine.loadAverage();
    List<Row> rows = runs.stream().map(Row::of)
        .sorted(Comparator.comparing(Row::benchmark).thenComparing(Row::params))
        .collect(Collectors.toList());

    String section = render(machine, loadBefore, loadAfter, start, took, rows);
    String existing = Files.exists(results)
        ? Files.readString(results, StandardCharsets.UTF_8) : "";
    Files.writeString(results, SECTION.replaceIn(existing, section, false), StandardCharsets.UTF_8);
    System.out.println(section);
    System.out.println("Disk section written to " + results.toAbsolutePath().normalize());
  }



  private static Optional<Row> find(List<Row> rows, String benchmark, String params) {
    return BenchmarkReport.Targets.find(rows, benchmark, params);
  }

  private static double score(Optional<Row> row) {
    return row.map(Row::score).orElse(Double.NaN);
  }

  private static String kps(double opsPerSecond) {
    return Double.isNaN(opsPerSecond) ? "n/a"
        : BenchmarkReport.number(opsPerSecond / 1000) + " k/s";
  }

  private static String ratio(double v) {
    return Double.isNaN(v) ? "n/a" : BenchmarkReport.number(v) + "x";
  }

  private static String verdict(double value, double goal) {
    return Double.isNaN(value) ? "n/a" : value >= goal ? "**PASS**" : "**MISS**";
  }

  static String render(Machine machine, String loadBefore, String loadAfter, Instant start,
      Duration took, List<Row> rows) {
    StringBuilder md = new StringBuilder();
    md.append(START).append('\n');
    md.append("## Disk tier\n\n");
    md.append("Reproduce (builds what it needs, runs only the disk benchmarks, rewrites only"
        + " this section):\n\n```\n").append(COMMAND).append("\n```\n\n");
    md.append("| | |\n|---|---|\n");
    md.append("| Date | ").append(DateTimeFormatter.ISO_LOCAL_DATE_TIME
        .format(start.atOffset(ZoneOffset.UTC).withNano(0))).append(" UTC |\n");
    md.append("| Machine | ").append(machine.cpu()).append(", ").append(machine.cores())
        .append(", ").append(machine.memory()).append(", ").append(machine.os()).append(" |\n");
    md.append("| JDK | ").append(machine.jdk()).append(" |\n");
    md.append("| File system | the JVM's temporary directory (`java.io.tmpdir`) |\n");
    md.append("| JMH | ").append(BenchmarkReport.FORKS).append(" fork, ")
        .append(BenchmarkReport.WARMUP_ITERATIONS).append(" x ")
        .append(BenchmarkReport.ITERATION_TIME).append(" warmup, ")
        .append(BenchmarkReport.MEASUREMENT_ITERATIONS).append(" x ")
        .append(BenchmarkReport.ITERATION_TIME).append(" measurement |\n");
    md.append("| Run took | ").append(BenchmarkReport.minutes(took)).append(" (")
        .append(rows.size()).append(" benchmarks) |\n");
    md.append("| Load average (1/5/15 min) | before ").append(loadBefore).append(", after ")
        .append(loadAfter).append(" |\n\n");
    md.append("The machine is shared: other builds and tests ran during this run (see the load"
        + " average), so single numbers can be off by 2x; the floor runs in the same JVM and"
        + " run, which keeps the ratios to it more stable than the absolute numbers.\n\n");

    md.append("### Targets (100-byte values unless noted)\n\n");
    md.append("| | Threads | Cachet DiskStore | plain sqlite-jdbc floor | vs floor | target"
        + " | vs target | verdict |\n|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (String cls : List.of("DiskOneThread", "DiskTwoThreads")) {
      int threads = cls.equals("DiskOneThread") ? 1 : 2;
      double get = score(find(rows, cls + ".get100B", ""));
      double floorGet = score(find(rows, cls + ".floorGet100B", ""));
      md.append(line("get", threads, kps(get), kps(floorGet), ratio(get / floorGet),
          kps(GET_TARGET), ratio(get / GET_TARGET), verdict(get, GET_TARGET)));
      double put = score(find(rows, cls + ".put100B", ""));
      double floorPut = score(find(rows, cls + ".floorPut100B", ""));
      md.append(line("put (returns once journaled: durable if the process dies)", threads, kps(put), kps(floorPut),
          ratio(put / floorPut), kps(PUT_TARGET), ratio(put / PUT_TARGET),
          verdict(put, PUT_TARGET)));
      double lru = score(find(rows, cls + ".getLru100B", ""));
      md.append(line("LRU-policy get / default get", threads, kps(lru) + " / " + kps(get),
          "", "", LRU_RATIO_TARGET + "x", ratio(lru / get), verdict(lru / get,
              LRU_RATIO_TARGET)));
      double large = score(find(rows, cls + ".get100KB", "")) * LARGE;
      double floorLarge = score(find(rows, cls + ".floorGet100KB", "")) * LARGE;
      md.append(line("get 100 KB", threads, gbps(large), gbps(floorLarge),
          ratio(large / floorLarge), "1 GB/s", ratio(large / LARGE_BYTES_PER_SECOND_TARGET),
          verdict(large, LARGE_BYTES_PER_SECOND_TARGET)));
      double largePut = score(find(rows, cls + ".put100KB", ""));
      double floorLargePut = score(find(rows, cls + ".floorPut100KB", ""));
      md.append(line("put 100 KB", threads, kps(largePut), kps(floorLargePut),
          ratio(largePut / floorLargePut), "—", "", "info"));
      double memo = score(find(rows, cls + ".memoizedDiskHit", ""));
      md.append(line("memoized hit from disk (memory tier holds nothing)", threads, kps(memo),
          kps(floorGet), ratio(memo / floorGet), "—", "", "info"));
    }
    md.append('\n');
    md.append("For context, measured earlier on this machine (issue text): plain sqlite-jdbc"
        + " point reads ~6 µs p50 (~120 k/s), autocommit writes ~17 µs p50; Python's"
        + " diskcache: get 98 k/s, set 10 k/s, memoize hit 25 k/s, LRU-policy get 11 k/s.\n\n");

    md.append("### Side-file threshold: inline blob vs side file\n\n");
    md.append("`DiskThresholdBenchmark`, one thread, MB/s of payload (ops/s x size).\n\n");
    md.append("| size | get inline | get side file | put inline | put side file |\n"
        + "|---:|---:|---:|---:|---:|\n");
    for (String size : List.of("4096", "16384", "65536", "131072", "262144", "1048576")) {
      int bytes = Integer.parseInt(size);
      md.append("| ").append(bytes / 1024).append(" KiB");
      for (String op : List.of("get", "put")) {
        for (String storage : List.of("inline", "sideFile")) {
          double ops = score(find(rows, "DiskThresholdBenchmark." + op,
              "size=" + size + ", storage=" + storage));
          md.append(" | ").append(Double.isNaN(ops) ? "n/a"
              : BenchmarkReport.number(ops * bytes / 1e6) + " MB/s");
        }
      }
      md.append(" |\n");
    }
    md.append('\n');

    md.append("### All disk benchmarks\n\n");
    md.append("| Benchmark | Threads | Params | Score | Error | Unit |\n");
    md.append("|---|---:|---|---:|---:|---|\n");
    for (Row r : rows) {
      md.append("| ").append(r.benchmark()).append(" | ").append(r.threads()).append(" | ")
          .append(r.params()).append(" | ").append(BenchmarkReport.number(r.score()))
          .append(" | ± ").append(BenchmarkReport.number(r.error())).append(" | ")
          .append(r.unit()).append(" |\n");
    }
    md.append('\n').append(END);
    return md.toString();
  }

  private static String gbps(double bytesPerSecond) {
    return Double.isNaN(bytesPerSecond) ? "n/a"
        : String.format(Locale.ROOT, "%.2f GB/s", bytesPerSecond / 1e9);
  }

  private static String line(String what, int threads, String ours, String floor,
      String vsFloor, String target, String vsTarget, String verdict) {
    return "| " + what + " | " + threads + " | " + ours + " | " + floor + " | " + vsFloor
        + " | " + target + " | " + vsTarget + " | " + verdict + " |\n";
  }
}
