package dev.cachet.bench;

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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark of this module in one short JMH run (1 fork, 3 x 1 s warmup, 3 x 1 s
 * measurement), then writes {@code RESULTS.md}: the machine, the command, every score, and the
 * ratios against Cachet's performance targets with PASS or MISS. The same ratios go to stdout.
 *
 * <p>Usage: {@code BenchmarkReport [--results FILE] [--json FILE] [--include REGEX]...}. Without
 * {@code --results} it writes {@code cachet-bench/RESULTS.md} when started from the repository
 * root, else {@code RESULTS.md}; without {@code --json} the raw JMH JSON goes to a temporary
 * file. {@code --include} restricts the run (ratios whose inputs did not run show n/a).
 *
 * <p>The short configuration is for tracking regressions and checking targets on every change,
 * not for publishable numbers: three one-second iterations give wide error bars, which the ratio
 * table shows as a range.
 */
public final class BenchmarkReport {
  /** The command documented at the top of RESULTS.md. */
  static final String COMMAND = "cachet-bench/run-short.sh";

  static final int FORKS = 1;
  /**
   * Three, not two: with two, the put benchmarks' first measured iteration was still being
   * compiled (up to twice the settled time), which made their error bars meaningless.
   */
  static final int WARMUP_ITERATIONS = 3;
  static final int MEASUREMENT_ITERATIONS = 3;
  static final TimeValue ITERATION_TIME = TimeValue.seconds(1);
  /**
   * A fixed, ample heap: the 1M-entry put benchmark holds 2M keys; no resizing mid-run. Its
   * first 2 GB touched at start: on this VM the first touch of a page costs the host a fault,
   * and without the pre-touch a benchmark allocating 100 KB per call measured 2 k/s in its first
   * measured second and 34 k/s in its third (with it, 36 k/s from the first warmup on).
   */
  static final String[] FORK_JVM_ARGS = {"-Xms2g", "-Xmx4g", "-XX:+AlwaysPreTouch"};

  /** Why a single verdict on a contended ratio is not final; printed under the run facts. */
  static final String FORK_NOTE = "One fork means one JIT compilation and one placement of the"
      + " threads on Caffeine's striped read buffers: on a 2-core machine the two-thread scores"
      + " of the Caffeine-backed contenders (`caffeine`, `caffeineSameThread`,"
      + " `memoizedAdaptive`) can differ about 2x from one fork to the next. Before acting on a"
      + " verdict, rerun its benchmarks with more forks, e.g. `java -jar"
      + " cachet-bench/target/benchmarks.jar 'HitPathTwoThreads.(memoizedAdaptive|caffeine)$'"
      + " -f 5`.";

  private BenchmarkReport() {
  }

  /**
   * Runs the short configuration and writes the report.
   *
   * @param args see the class documentation
   */
  public static void main(String[] args) throws IOException, RunnerException {
    ReportArgs parsed = ReportArgs.parse("BenchmarkReport", args);
    Path results = parsed.results();
    Path json = parsed.json();
    List<String> includes = new ArrayList<>(parsed.includes());
    boolean everything = includes.isEmpty();
    if (everything) {
      includes.add(BenchmarkReport.class.getPackageName().replace(".", "\\.") + "\\..*");
    }

    ChainedOptionsBuilder options = new OptionsBuilder()
        .forks(FORKS)
        .warmupIterations(WARMUP_ITERATIONS)
        .warmupTime(ITERATION_TIME)
        .measurementIterations(MEASUREMENT_ITERATIONS)
        .measurementTime(ITERATION_TIME)
        .jvmArgs(FORK_JVM_ARGS)
        // A broken benchmark (say a setup check that fails) must not cost the other results:
        // its ratios show n/a instead.
        .shouldFailOnError(false)
        .resultFormat(ResultFormatType.JSON)
        .result(json.toString());
    includes.forEach(options::include);
    if (everything) {
      // The disk benchmarks have their own run and section (DiskReport, run-disk.sh): they
      // need minutes of setup and would double this run.
      options.exclude(DiskReport.DEFAULT_INCLUDE);
      // The Redis benchmarks need a server and have their own section (cachet-bench/README.md).
      options.exclude("dev\\.cachet\\.bench\\.Redis(OneThread|TwoThreads)\\..*");
    }

    Machine machine = Machine.describe();
    String loadBefore = Machine.loadAverage();
    Instant start = Instant.now();
    Collection<RunResult> runs = new Runner(options.build()).run();
    Duration took = Duration.between(start, Instant.now());
    String loadAfter = Machine.loadAverage();

    List<Row> rows = runs.stream().map(Row::of)
        .sorted(Comparator.comparing(Row::benchmark).thenComparing(Row::params))
        .collect(Collectors.toList());
    List<Ratio> ratios = Targets.evaluate(rows);

    String report = render(machine, loadBefore, loadAfter, start, took, json, rows, ratios);
    if (results.getParent() != null) {
      Files.createDirectories(results.getParent());
    }
    report = SECTION.wrap(report);
    if (Files.exists(results)) {
      // Other sections (disk, Redis, LLM...) come from their own runs: keep them as they are.
      report = SECTION.replaceIn(Files.readString(results, StandardCharsets.UTF_8), report,
          true);
    }
    Files.writeString(results, report, StandardCharsets.UTF_8);

    System.out.println();
    System.out.println("Cachet short benchmark run: " + rows.size() + " benchmarks in "
        + minutes(took) + " (JMH JSON: " + json + ")");
    System.out.println(Ratio.plainHeader());
    ratios.forEach(r -> System.out.println(r.plain()));
    System.out.println("Report written to " + results.toAbsolutePath().normalize());
  }

  /** This run's part of RESULTS.md; the disk, Redis and LLM runs own the others. */
  static final ResultsSection SECTION = ResultsSection.named("short-run");

  static String render(Machine machine, String loadBefore, String loadAfter, Instant start,
      Duration took, Path json, List<Row> rows, List<Ratio> ratios) {
    StringBuilder md = new StringBuilder();
    md.append("# Cachet benchmark results (short run)\n\n");
    md.append("Reproduce from the repository root (builds what it needs, then runs everything"
        + " below and rewrites this file):\n\n");
    md.append("```\n").append(COMMAND).append("\n```\n\n");
    md.append("| | |\n|---|---|\n");
    md.append("| Date | ").append(DateTimeFormatter.ISO_LOCAL_DATE_TIME
        .format(start.atOffset(ZoneOffset.UTC).withNano(0))).append(" UTC |\n");
    md.append("| CPU | ").append(machine.cpu()).append(" |\n");
    md.append("| Cores | ").append(machine.cores()).append(" |\n");
    md.append("| Memory | ").append(machine.memory()).append(" |\n");
    md.append("| JDK | ").append(machine.jdk()).append(" |\n");
    md.append("| OS | ").append(machine.os()).append(" |\n");
    md.append("| JMH | ").append(FORKS).append(" fork, ").append(WARMUP_ITERATIONS)
        .append(" x ").append(ITERATION_TIME).append(" warmup, ").append(MEASUREMENT_ITERATIONS)
        .append(" x ").append(ITERATION_TIME).append(" measurement, fork JVM args `")
        .append(String.join(" ", FORK_JVM_ARGS)).append("` |\n");
    md.append("| Run took | ").append(minutes(took)).append(" (").append(rows.size())
        .append(" benchmarks) |\n");
    md.append("| Load average (1/5/15 min) | before ").append(loadBefore).append(", after ")
        .append(loadAfter).append(" |\n\n");
    md.append("Error is JMH's 99.9% confidence half-width; with three one-second iterations it"
        + " is wide, and other processes on the machine (see load average) add noise. Raw JMH"
        + " JSON was written to `").append(json.getFileName()).append("` outside the"
        + " repository.\n\n");
    md.append(FORK_NOTE).append("\n\n");

    md.append("## Targets\n\n");
    md.append("Ratios use the scores below (throughput: higher is better; ns/op: lower is"
        + " better). The range is the ratio of the error-bar ends; a verdict marked `~` has"
        + " its target inside that range, so it could flip on a rerun. \"vs HashMap\" divides a"
        + " size-scaling ratio by a plain HashMap's (same keys, sizes and access order): the"
        + " part of the growth that comes from the structure rather than from the memory"
        + " hierarchy, which no structure escapes. Size-scaling verdicts are judged on that"
        + " column: reads follow a Zipf(0.99) order, yet a plain HashMap still slows about 10x"
        + " from 1k to 1M entries, so the raw ratio measures the machine's memory, not whether"
        + " the policy is O(1). Puts use a uniform order against the same get baseline, which"
        + " only makes their verdict stricter.\n\n");
    md.append("| Target | Ratio | Range | Goal | Verdict | vs HashMap |\n"
        + "|---|---|---|---|---|---|\n");
    for (Ratio r : ratios) {
      md.append(r.markdown()).append('\n');
    }
    md.append('\n');

    md.append("## All benchmarks\n\n");
    md.append("| Benchmark | Threads | Params | Mode | Score | Error | Unit |\n");
    md.append("|---|---:|---|---|---:|---:|---|\n");
    for (Row r : rows) {
      md.append("| ").append(r.benchmark()).append(" | ").append(r.threads()).append(" | ")
          .append(r.params().isEmpty() ? "" : r.params()).append(" | ").append(r.mode())
          .append(" | ").append(number(r.score())).append(" | ± ").append(number(r.error()))
          .append(" | ").append(r.unit()).append(" |\n");
    }
    md.append('\n');
    md.append("What each benchmark measures, and how to run one with other JMH settings:"
        + " [README.md](README.md).\n");
    return md.toString();
  }

  static String number(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Double.isInfinite(v)) {
      return "∞";
    }
    double a = Math.abs(v);
    String format = a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, format, v);
  }

  static String minutes(Duration d) {
    long s = d.toSeconds();
    return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
  }

  /**
   * One benchmark's result.
   *
   * @param benchmark class and method, without the package
   * @param threads threads that ran it
   * @param params its JMH parameters as {@code name=value} pairs, sorted
   * @param mode the JMH mode's short label
   * @param score the primary score
   * @param error the 99.9% half-width, NaN when unknown
   * @param unit the score's unit
   */
  record Row(String benchmark, int threads, String params, String mode, double score,
      double error, String unit) {

    static Row of(RunResult run) {
      BenchmarkParams p = run.getParams();
      String name = p.getBenchmark();
      String prefix = BenchmarkReport.class.getPackageName() + ".";
      if (name.startsWith(prefix)) {
        name = name.substring(prefix.length());
      }
      Map<String, String> params = new TreeMap<>();
      for (String key : p.getParamsKeys()) {
        params.put(key, p.getParam(key));
      }
      String joined = params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(", "));
      Result<?> primary = run.getPrimaryResult();
      return new Row(name, p.getThreads(), joined, p.getMode().shortLabel(), primary.getScore(),
          primary.getScoreError(), primary.getScoreUnit());
    }

    /** The score's lower and upper error-bar ends. */
    double low() {
      return Double.isNaN(error) ? Double.NaN : score - error;
    }

    double high() {
      return Double.isNaN(error) ? Double.NaN : score + error;
    }
  }

  /**
   * A target: {@code numerator / denominator} compared with {@code goal}.
   *
   * @param name what is compared
   * @param numerator the result on top, empty when it did not run
   * @param denominator the result below, empty when it did not run
   * @param goal the target value of the ratio
   * @param atLeast whether the ratio must be at least (true) or at most (false) the goal
   * @param target whether it is a target (false: shown for context only, no verdict)
   * @param baseline the same ratio for a plain HashMap, to separate the structure's own scaling
   *     from the memory hierarchy's
   */
  record Ratio(String name, Optional<Row> numerator, Optional<Row> denominator, double goal,
      boolean atLeast, boolean target, Optional<Ratio> baseline) {

    Ratio(String name, Optional<Row> numerator, Optional<Row> denominator, double goal,
        boolean atLeast, boolean target) {
      this(name, numerator, denominator, goal, atLeast, target, Optional.empty());
    }

    /**
     * This ratio divided by the same ratio of a plain HashMap: how much worse than the memory
     * hierarchy alone this structure scales; blank when there is no baseline.
     */
    String overBaselineText() {
      if (baseline.isEmpty()) {
        return "";
      }
      double v = value() / baseline.get().value();
      return Double.isNaN(v) ? "n/a" : number(v) + "x";
    }

    double value() {
      return numerator.isPresent() && denominator.isPresent()
          ? numerator.get().score() / denominator.get().score() : Double.NaN;
    }

    /** Smallest and largest ratio the error bars allow; NaN when unknown. */
    double[] range() {
      if (numerator.isEmpty() || denominator.isEmpty()) {
        return new double[] {Double.NaN, Double.NaN};
      }
      Row n = numerator.get();
      Row d = denominator.get();
      double lo = n.low() / d.high();
      double hi = d.low() <= 0 ? Double.POSITIVE_INFINITY : n.high() / d.low();
      return new double[] {Math.max(0, lo), hi};
    }

    /**
     * PASS or MISS against the goal. A size-scaling ratio is judged after dividing by the plain
     * HashMap's: "O(1) at any size" is a claim about the structure, and from 1k to 1M entries
     * every hash table, HashMap included, slows by about 10x from cache and TLB misses alone,
     * so the raw ratio would measure the machine's memory rather than the policy.
     */
    String verdict() {
      double v = baseline.isPresent() ? value() / baseline.get().value() : value();
      if (!target) {
        return "info";
      }
      if (Double.isNaN(v)) {
        return "n/a (did not run)";
      }
      boolean pass = atLeast ? v >= goal : v <= goal;
      double[] range = range();
      if (baseline.isPresent()) {
        double b = baseline.get().value();
        range = new double[] {range[0] / b, range[1] / b};
      }
      boolean uncertain = !Double.isNaN(range[0]) && range[0] <= goal && goal <= range[1];
      return (pass ? "PASS" : "MISS") + (uncertain ? " ~" : "");
    }

    String goalText() {
      return target ? (atLeast ? ">= " : "<= ") + goal + "x" : "—";
    }

    String ratioText() {
      double v = value();
      return Double.isNaN(v) ? "n/a" : number(v) + "x";
    }

    String rangeText() {
      double[] r = range();
      return Double.isNaN(r[0]) ? "n/a" : number(r[0]) + " – " + number(r[1]);
    }

    String markdown() {
      String v = verdict();
      boolean decided = v.startsWith("PASS") || v.startsWith("MISS");
      return "| " + name + " | " + ratioText() + " | " + rangeText() + " | " + goalText()
          + " | " + (decided ? "**" + v + "**" : v) + " | " + overBaselineText() + " |";
    }

    static String plainHeader() {
      return String.format(Locale.ROOT, "%-68s %8s %17s %9s  %-18s %s", "Target", "Ratio",
          "Range", "Goal", "Verdict", "vs HashMap");
    }

    String plain() {
      return String.format(Locale.ROOT, "%-68s %8s %17s %9s  %-18s %s", name, ratioText(),
          rangeText(), goalText(), verdict(), overBaselineText());
    }
  }

  /** The performance targets, computed from the rows. */
  static final class Targets {
    private Targets() {
    }

    static List<Ratio> evaluate(List<Row> rows) {
      List<Ratio> out = new ArrayList<>();
      List<Ratio> layer = new ArrayList<>();
      for (String threads : List.of("OneThread", "TwoThreads")) {
        String cls = "HitPath" + threads;
        String label = threads.equals("OneThread") ? "1 thread" : "2 threads";
        out.add(new Ratio("Memoized hit (ADAPTIVE) / raw Caffeine getIfPresent, " + label,
            find(rows, cls + ".memoizedAdaptive", ""), find(rows, cls + ".caffeine", ""),
            0.6, true, true));
        // The same Caffeine as Cachet's store (maintenance on the caller): what Cachet's own
        // layer costs, with the executor choice factored out.
        layer.add(new Ratio("(context) Memoized hit (ADAPTIVE) / Caffeine executor(Runnable::run), "
            + label, find(rows, cls + ".memoizedAdaptive", ""),
            find(rows, cls + ".caffeineSameThread", ""), 0.6, true, false));
      }
      out.add(new Ratio("LRU store get / synchronized LinkedHashMap, 2 threads",
          find(rows, "StoreContentionBenchmark.lruStore", null),
          find(rows, "StoreContentionBenchmark.synchronizedLru", null), 2.0, true, true));
      // What a plain HashMap's reads lose from 1k to 1M entries: cache and TLB misses that
      // any structure pays, shown next to each scaling target to tell the two apart.
      Ratio hashMap = new Ratio("(context) HashMap get ns/op, 1M entries / 1k entries",
          find(rows, "MemoryBaselineBenchmark.hashMapGet", "size=1000000"),
          find(rows, "MemoryBaselineBenchmark.hashMapGet", "size=1000"), 2.0, false, false);
      for (String op : List.of("Get", "Put")) {
        for (String policy : List.of("LRU", "LFU", "FIFO")) {
          String bench = "Store" + op + "Benchmark." + op.toLowerCase(Locale.ROOT);
          out.add(new Ratio(policy + " " + op.toLowerCase(Locale.ROOT)
              + " ns/op, 1M entries / 1k entries",
              find(rows, bench, "policy=" + policy + ", size=1000000"),
              find(rows, bench, "policy=" + policy + ", size=1000"), 2.0, false, true,
              Optional.of(hashMap)));
        }
      }
      // Context for reading the targets above; no verdict.
      out.addAll(layer);
      out.add(hashMap);
      out.add(new Ratio("(context) Memoized LRU hit / synchronized LinkedHashMap, 2 threads",
          find(rows, "HitPathTwoThreads.memoizedLru", ""),
          find(rows, "HitPathTwoThreads.synchronizedLru", ""), 2.0, true, false));
      out.add(new Ratio("(context) Memoized hit (ADAPTIVE) / ConcurrentHashMap.get, 1 thread",
          find(rows, "HitPathOneThread.memoizedAdaptive", ""),
          find(rows, "HitPathOneThread.concurrentHashMap", ""), 1.0, true, false));
      return out;
    }

    /** The row of {@code benchmark} with exactly {@code params} (null: any params). */
    static Optional<Row> find(List<Row> rows, String benchmark, String params) {
      return rows.stream()
          .filter(r -> r.benchmark().equals(benchmark))
          .filter(r -> params == null || r.params().equals(params))
          .findFirst();
    }
  }

  /**
   * What the results were measured on.
   *
   * @param cpu the CPU model
   * @param cores logical processors available to the JVM
   * @param memory physical memory
   * @param jdk version, vendor and VM
   * @param os distribution, kernel and architecture
   */
  record Machine(String cpu, String cores, String memory, String jdk, String os) {

    static Machine describe() {
      String cpu = procField("/proc/cpuinfo", "model name")
          .or(() -> procField("/proc/cpuinfo", "Hardware"))
          .orElse(System.getProperty("os.arch") + " (model unknown)");
      String cores = Runtime.getRuntime().availableProcessors() + " logical"
          + procField("/proc/cpuinfo", "cpu cores").map(c -> " (" + c + " per socket)")
              .orElse("");
      String memory = procField("/proc/meminfo", "MemTotal")
          .map(BenchmarkReport.Machine::gib).orElse("unknown");
      String jdk = System.getProperty("java.runtime.version") + ", "
          + System.getProperty("java.vendor") + ", " + System.getProperty("java.vm.name");
      String distro = osRelease().map(d -> d + ", ").orElse("");
      String os = distro + System.getProperty("os.name") + " " + System.getProperty("os.version")
          + " " + System.getProperty("os.arch");
      return new Machine(cpu, cores, memory, jdk, os);
    }

    /** The 1, 5 and 15 minute load averages, or "unknown" off Linux. */
    static String loadAverage() {
      try {
        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return f[0] + " / " + f[1] + " / " + f[2];
      } catch (IOException | RuntimeException e) {
        return "unknown";
      }
    }

    private static Optional<String> procField(String file, String field) {
      try {
        return Files.readAllLines(Path.of(file)).stream()
            .filter(l -> l.startsWith(field) && l.indexOf(':') > 0)
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .filter(v -> !v.isEmpty())
            .findFirst();
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }

    private static Optional<String> osRelease() {
      try {
        return Files.readAllLines(Path.of("/etc/os-release")).stream()
            .filter(l -> l.startsWith("PRETTY_NAME="))
            .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", ""))
            .findFirst();
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }

    private static String gib(String memTotal) {
      try {
        long kib = Long.parseLong(memTotal.replaceAll("[^0-9]", ""));
        return String.format(Locale.ROOT, "%.1f GiB", kib / (1024.0 * 1024.0));
      } catch (NumberFormatException e) {
        return memTotal;
      }
    }
  }
}
