package dev.cachet.bench;

import dev.cachet.bench.BenchmarkReport.Machine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Merges the results files of the mixed disk benchmark (the Java harness's and
 * {@code diskcache_mixed.py}'s) into the "Disk tier, mixed workload" section of RESULTS.md,
 * between {@code <!-- disk-mixed:start -->} and {@code <!-- disk-mixed:end -->}, leaving the
 * rest of the file alone; the section also goes to stdout.
 *
 * <p>The project's targets compare Cachet with diskcache: get at least 3x, set at least 5x,
 * and the LRU-policy get at least 15x diskcache's LRU, on the 95/5 mix. The get verdicts use
 * the gets of the 95/5 mix at one thread (p50 latency), which pay for the writes around them;
 * the set verdict uses the write-only phase's throughput, which charges Cachet for the
 * database writes its journaled sets defer (a set's own latency leaves them out). The
 * read-only phase and the mix's set latency are shown beside them as information.
 *
 * <p>Usage: {@code DiskMixedReport --json FILE [--json FILE]... [--results FILE]}
 */
public final class DiskMixedReport {
  /** The section of RESULTS.md this report owns. */
  static final ResultsSection SECTION = ResultsSection.named("disk-mixed");
  static final String COMMAND = "cachet-bench/run-disk-mixed.sh";
  static final String CACHET = DiskMixedCachet.DEFAULT;
  static final String CACHET_LRU = DiskMixedCachet.LRU;
  static final String DISKCACHE = "diskcache-default";
  static final String DISKCACHE_LRU = "diskcache-lru";
  static final String EHCACHE = DiskMixedEhcache.NAME;

  private DiskMixedReport() {
  }

  /**
   * Renders the section and, with {@code --results}, writes it into that file.
   *
   * @param args the options in the class comment
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    List<Path> inputs = new ArrayList<>();
    Path results = null;
    for (int i = 0; i < args.length; i++) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Missing value after " + args[i]);
      }
      switch (args[i]) {
        case "--json" -> inputs.add(Path.of(args[++i]));
        case "--results" -> results = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("Unknown option " + args[i]);
      }
    }
    List<DiskMixedResults.Run> runs = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.exists(p)) {
        runs.add(DiskMixedResults.read(p));
      } else {
        System.err.println("[disk-mixed] no results file " + p + "; its contenders show n/a");
      }
    }
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("No results to report");
    }
    String section = SECTION.wrap(render(runs, Machine.describe(), Machine.loadAverage()));
    System.out.println(section);
    if (results != null) {
      String old = Files.exists(results) ? Files.readString(results) : "";
      Files.writeString(results, SECTION.replaceIn(old, section, false));
      System.out.println("[disk-mixed] rewrote the disk-mixed section of " + results);
    }
  }

  /**
   * The section's body.
   *
   * @param runs the harnesses' results, Java first by convention
   * @param machine the machine, described where the report runs (the same one)
   * @param loadNow the load average as the report is written
   * @return Markdown, without the markers
   */
  static String render(List<DiskMixedResults.Run> runs, Machine machine, String loadNow) {
    Map<String, DiskMixedResults.Contender> byName = new LinkedHashMap<>();
    for (DiskMixedResults.Run r : runs) {
      for (DiskMixedResults.Contender c : r.contenders()) {
        byName.put(c.name(), c);
      }
    }
    DiskMixedResults.Run first = runs.get(0);
    StringBuilder md = new StringBuilder();
    md.append("## Disk tier, mixed workload (Cachet DiskStore, diskcache, Ehcache)\n\n");
    md.append("Reproduce (builds, checks for python3-diskcache, runs every contender, rewrites "
        + "only this section):\n\n```\n").append(COMMAND).append("\n```\n\n");
    md.append("| | |\n|---|---|\n");
    Instant start = runs.stream().map(r -> parseInstant(r.startedAt())).min(Instant::compareTo)
        .orElseThrow();
    Instant end = runs.stream().map(r -> parseInstant(r.finishedAt()))
        .max(Instant::compareTo).orElseThrow();
    md.append("| Date | ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss 'UTC'")
        .withZone(ZoneOffset.UTC).format(start)).append(" |\n");
    md.append("| Machine | ").append(machine.cpu()).append(", ").append(machine.cores())
        .append(", ").append(machine.memory()).append(", ").append(machine.os()).append(" |\n");
    for (DiskMixedResults.Run r : runs) {
      md.append("| ").append(r.harness().equals("java") ? "Java harness" : "Python harness")
          .append(" | ").append(escape(r.runtime())).append(" |\n");
    }
    StringBuilder load = new StringBuilder();
    for (DiskMixedResults.Run r : runs) {
      load.append(r.harness()).append(" run: before ").append(r.loadBefore())
          .append(", after ").append(r.loadAfter()).append("; ");
    }
    load.append("at the report: ").append(loadNow);
    md.append("| Load average (1/5/15 min) | ").append(load).append(" |\n");
    String loadWarning = loadWarning(runs);
    md.append("| Run took | ").append(minutes(Duration.between(start, end)))
        .append(" (both harnesses, build excluded) |\n");
    md.append("| Workload | ").append(String.format(Locale.ROOT, "%,d", first.keys()))
        .append(" keys `key-0` .. `key-").append(first.keys() - 1).append("`, values of ")
        .append(first.valueBytes()).append(" bytes (Cachet stores each in a ")
        .append(byName.containsKey(CACHET) ? byName.get(CACHET).storedValueBytes()
            : DiskMixedCachet.frameBytes(first.valueBytes()))
        .append("-byte `EntryFrame`); gets **and** sets drawn Zipf(0.99) over the keys, the "
            + "hottest ranks scattered over the key space (YCSB's scrambled Zipfian); one "
            + "operation file (seed ").append(first.seed())
        .append(") replayed by every contender, Java and Python |\n");
    md.append("| Cells | each worker replays its own stream of up to ")
        .append(String.format(Locale.ROOT, "%,d", first.streamOps()))
        .append(" operations for at most ").append(num(first.cellSeconds()))
        .append(" s (a slower store replays a shorter prefix of the same sequence); "
            + "throughput = all workers' operations / the longest worker's time, plus the time "
            + "to settle deferred work after the last operation (Cachet's `flush()`); ")
        .append(num(first.warmupSeconds()))
        .append(" s unmeasured warm-up per process; latencies are exact (every call timed), "
            + "nearest-rank percentiles |\n");
    md.append("| Stores | each store is populated once with every key (shuffled order, one "
        + "thread; how, under Populate below) and every cell then runs on it in the order "
        + "below; cells replace values but add no keys. The LRU variants start from a copy of "
        + "their default sibling's populated store (same schema; population is only sets). "
        + "Two-process cells reopen the same directory from two new processes (JVMs or "
        + "interpreters), each one thread |\n\n");

    if (loadWarning != null) {
      md.append("**").append(loadWarning).append("**\n\n");
    }
    md.append("Contenders:\n\n");
    for (DiskMixedResults.Contender c : byName.values()) {
      md.append("- `").append(c.name()).append("`: ").append(c.description());
      if (c.error() != null) {
        md.append(". **Stopped early:** ").append(escape(c.error()));
      }
      if (c.failures() > 0) {
        md.append(". **").append(c.failures()).append(" failures counted by the store**");
      }
      if (!c.closed()) {
        md.append(". **Did not close cleanly**");
      }
      md.append("\n");
    }
    md.append("\n");

    renderVerdicts(md, byName);
    renderPopulate(md, byName);
    for (DiskMixedCell cell : DiskMixedCell.values()) {
      renderCell(md, cell, byName);
    }
    renderNotes(md, byName);
    return md.toString();
  }

  private static void renderVerdicts(StringBuilder md,
      Map<String, DiskMixedResults.Contender> byName) {
    md.append("### Target verdicts (Cachet vs diskcache)\n\n");
    md.append("The targets are set on the 95/5 mix, so the **get** verdicts use the gets of "
        + "the 95/5 mix at 1 thread (p50 latency ratio, diskcache / Cachet): a get is "
        + "synchronous in every store, and in the mix it pays for the writes around it (a "
        + "commit by any process makes SQLite drop every reader's page cache). The **set** "
        + "verdict uses the write-only phase's throughput, because a Cachet set returns once "
        + "journaled and its per-call latency leaves out the database write it defers; the "
        + "phase charges that work. The other rows are information.\n\n");
    md.append("| target | reading | Cachet | diskcache | ratio | target | verdict |\n");
    md.append("|---|---|---:|---:|---:|---:|---|\n");
    verdictRow(md, "get >= 3x diskcache", "95/5 mix, get p50 µs", byName, CACHET, DISKCACHE,
        "mix95-1t", DiskMixedResults.Cell::getP50Us, false, 3, true);
    verdictRow(md, "set >= 5x diskcache", "write-only phase, ops/s", byName, CACHET, DISKCACHE,
        "write-1t", c -> c.opsPerSec(), true, 5, true);
    verdictRow(md, "LRU-policy get >= 15x diskcache LRU", "95/5 mix, get p50 µs", byName,
        CACHET_LRU, DISKCACHE_LRU, "mix95-1t", DiskMixedResults.Cell::getP50Us, false, 15,
        true);
    verdictRow(md, "get >= 3x diskcache", "read-only phase, ops/s", byName, CACHET, DISKCACHE,
        "read-1t", c -> c.opsPerSec(), true, 3, false);
    verdictRow(md, "set >= 5x diskcache", "95/5 mix, set p50 µs", byName, CACHET, DISKCACHE,
        "mix95-1t", DiskMixedResults.Cell::setP50Us, false, 5, false);
    verdictRow(md, "LRU-policy get >= 15x diskcache LRU", "read-only phase, ops/s", byName,
        CACHET_LRU, DISKCACHE_LRU, "read-1t", c -> c.opsPerSec(), true, 15, false);
    md.append("\n");
  }

  private interface Metric {
    Double of(DiskMixedResults.Cell c);
  }

  private static void verdictRow(StringBuilder md, String target, String reading,
      Map<String, DiskMixedResults.Contender> byName, String ours, String peer, String cellId,
      Metric metric, boolean higherIsBetter, double goal, boolean decides) {
    Double a = value(byName, ours, cellId, metric);
    Double b = value(byName, peer, cellId, metric);
    Double ratio = a == null || b == null || a == 0 || b == 0 ? null
        : higherIsBetter ? a / b : b / a;
    String verdict = ratio == null ? "n/a"
        : ratio >= goal ? (decides ? "**PASS**" : "pass (info)")
        : (decides ? "**FAIL**" : "fail (info)");
    md.append("| ").append(target).append(" | ").append(reading).append(" (`")
        .append(cellId).append("`) | ")
        .append(higherIsBetter ? rate(a) : us(a)).append(" | ")
        .append(higherIsBetter ? rate(b) : us(b)).append(" | ").append(ratio(ratio))
        .append(" | ").append(num(goal)).append("x | ").append(verdict).append(" |\n");
  }

  private static void renderPopulate(StringBuilder md,
      Map<String, DiskMixedResults.Contender> byName) {
    md.append("### Populate: bulk set, one thread, one call per key\n\n");
    md.append("Every key once, into an empty store, in a shuffled order; the time includes "
        + "settling deferred work (Cachet's journal) at the end.\n\n");
    md.append("| contender | keys set | seconds | sets/s | set p50 µs | set p99 µs "
        + "| set mean µs | note |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (DiskMixedResults.Contender c : byName.values()) {
      DiskMixedResults.Cell p = c.populate();
      md.append("| `").append(c.name()).append("` | ");
      if (p == null) {
        md.append("n/a | | | | | | |\n");
      } else if (p.skipped() != null || p.failed() != null) {
        md.append("| | | | | | ")
            .append(escape(p.skipped() != null ? p.skipped() : "failed: " + p.failed()))
            .append(" |\n");
      } else {
        md.append(String.format(Locale.ROOT, "%,d", p.ops())).append(" | ")
            .append(num(p.seconds())).append(" | ").append(rate(p.opsPerSec())).append(" | ")
            .append(us(p.setP50Us())).append(" | ").append(us(p.setP99Us())).append(" | ")
            .append(us(p.setMeanUs())).append(" | ")
            .append(p.note() == null ? "" : escape(p.note())).append(" |\n");
      }
    }
    md.append("\n");
  }

  private static void renderCell(StringBuilder md, DiskMixedCell cell,
      Map<String, DiskMixedResults.Contender> byName) {
    md.append("### `").append(cell.id()).append("`: ").append(cell.title()).append("\n\n");
    md.append("| contender | ops/s | get p50 µs | get p99 µs | get mean µs | set p50 µs "
        + "| set p99 µs | set mean µs | ops (gets / sets) | s | misses | errors |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (DiskMixedResults.Contender c : byName.values()) {
      Optional<DiskMixedResults.Cell> found = cell(c, cell.id());
      md.append("| `").append(c.name()).append("` | ");
      if (found.isEmpty()) {
        md.append(c.error() != null ? "not run (contender stopped early)" : "not run")
            .append(" | | | | | | | | | | |\n");
        continue;
      }
      DiskMixedResults.Cell r = found.get();
      if (r.skipped() != null || r.failed() != null) {
        md.append(r.skipped() != null ? "not supported: " + escape(firstOfChain(r.skipped()))
            : "**failed**: " + escape(r.failed())).append(" | | | | | | | | | | |\n");
        continue;
      }
      md.append(rate(r.opsPerSec())).append(" | ").append(us(r.getP50Us())).append(" | ")
          .append(us(r.getP99Us())).append(" | ").append(us(r.getMeanUs())).append(" | ")
          .append(us(r.setP50Us())).append(" | ").append(us(r.setP99Us())).append(" | ")
          .append(us(r.setMeanUs())).append(" | ")
          .append(String.format(Locale.ROOT, "%,d (%,d / %,d)", r.ops(), r.gets(), r.sets()))
          .append(" | ").append(num(r.seconds())).append(" | ")
          .append(r.misses() == 0 ? "0" : "**" + r.misses() + "**").append(" | ")
          .append(r.errors() == 0 ? "0" : "**" + r.errors() + "**: " + escape(r.firstError()))
          .append(" |\n");
    }
    md.append("\n| Cachet / peer | ops/s (Cachet / peer) | get p50 (peer / Cachet) "
        + "| get p99 (peer / Cachet) | set p50 (peer / Cachet) | set p99 (peer / Cachet) |\n");
    md.append("|---|---:|---:|---:|---:|---:|\n");
    String[][] pairs = {{CACHET, DISKCACHE}, {CACHET_LRU, DISKCACHE_LRU}, {CACHET, EHCACHE},
        {CACHET_LRU, EHCACHE}};
    for (String[] pair : pairs) {
      if (!byName.containsKey(pair[0]) || !byName.containsKey(pair[1])) {
        continue;
      }
      md.append("| `").append(pair[0]).append("` / `").append(pair[1]).append("` | ")
          .append(ratio(byName, pair, cell.id(), DiskMixedResults.Cell::opsPerSec, true))
          .append(" | ")
          .append(ratio(byName, pair, cell.id(), DiskMixedResults.Cell::getP50Us, false))
          .append(" | ")
          .append(ratio(byName, pair, cell.id(), DiskMixedResults.Cell::getP99Us, false))
          .append(" | ")
          .append(ratio(byName, pair, cell.id(), DiskMixedResults.Cell::setP50Us, false))
          .append(" | ")
          .append(ratio(byName, pair, cell.id(), DiskMixedResults.Cell::setP99Us, false))
          .append(" |\n");
    }
    md.append("\n");
  }

  private static void renderNotes(StringBuilder md,
      Map<String, DiskMixedResults.Contender> byName) {
    md.append("### Reading these numbers\n\n");
    md.append("- Ratios above 1 favour Cachet: ops/s ratios are Cachet / peer, latency ratios "
        + "peer / Cachet.\n");
    md.append("- Ehcache has a heap tier above its disk tier (required; sized at 1% of the "
        + "keys), which under Zipf(0.99) serves many of its gets from memory. Cachet's "
        + "DiskStore and diskcache are measured without a memory tier; in an application "
        + "Cachet's own memory tier would sit above the DiskStore.\n");
    DiskMixedResults.Contender eh = byName.get(EHCACHE);
    if (eh != null) {
      String refusal = eh.cells().stream().filter(c -> c.skipped() != null)
          .map(c -> firstOfChain(c.skipped())).findFirst().orElse(null);
      md.append("- Ehcache is single-process: one `CacheManager` locks its persistence "
          + "directory").append(refusal == null ? ""
              : " (this run's two-process attempt: " + escape(refusal) + ")")
          .append(". diskcache and Cachet's DiskStore share a directory between processes.\n");
    }
    md.append("- diskcache's LRU policy writes `access_time` in a transaction on every get, "
        + "so its gets cost a commit; Cachet's LRU store buffers access times and writes them "
        + "in batches (settled inside each phase here).\n");
    md.append("- Cachet's sets return once appended to the process's write-behind journal "
        + "(durable if the process dies; applied to SQLite within 20 ms); diskcache commits "
        + "each set to SQLite (WAL, `synchronous=NORMAL`); Ehcache writes to its disk store "
        + "without a transaction log.\n");
    md.append("- The load average shows other work on the machine during the run: single "
        + "numbers can move by 2x between runs; ratios within one cell are steadier.\n");
  }

  /**
   * A warning when the harnesses ran under clearly different loads (the 1-minute load
   * average, before and after each run): the Java and Python contenders do not run at the
   * same time, so other work on the machine can favour either side of a ratio.
   */
  static String loadWarning(List<DiskMixedResults.Run> runs) {
    double low = Double.MAX_VALUE;
    double high = 0;
    for (DiskMixedResults.Run r : runs) {
      for (String l : new String[] {r.loadBefore(), r.loadAfter()}) {
        try {
          double one = Double.parseDouble(l.split("/")[0].trim());
          low = Math.min(low, one);
          high = Math.max(high, one);
        } catch (RuntimeException e) {
          return null; // "unknown" off Linux: nothing to compare
        }
      }
    }
    int cores = Runtime.getRuntime().availableProcessors();
    if (runs.size() < 2 || high - low < cores) {
      return null;
    }
    return String.format(Locale.ROOT, "The load average moved between %.1f and %.1f on %d "
        + "cores during the run, and the Java and Python contenders run one after the other: "
        + "other work may favour either side of a Cachet / diskcache ratio. Rerun on a quiet "
        + "machine before quoting these numbers.", low, high, cores);
  }

  private static Optional<DiskMixedResults.Cell> cell(DiskMixedResults.Contender c,
      String id) {
    return c.cells() == null ? Optional.empty()
        : c.cells().stream().filter(x -> x.cell().equals(id)).findFirst();
  }

  private static Double value(Map<String, DiskMixedResults.Contender> byName, String name,
      String cellId, Metric metric) {
    DiskMixedResults.Contender c = byName.get(name);
    if (c == null) {
      return null;
    }
    return cell(c, cellId).filter(x -> x.skipped() == null && x.failed() == null && x.ops() > 0)
        .map(metric::of).orElse(null);
  }

  private static String ratio(Map<String, DiskMixedResults.Contender> byName, String[] pair,
      String cellId, Metric metric, boolean higherIsBetter) {
    Double a = value(byName, pair[0], cellId, metric);
    Double b = value(byName, pair[1], cellId, metric);
    if (a == null || b == null || a == 0 || b == 0) {
      return "n/a";
    }
    return ratio(higherIsBetter ? a / b : b / a);
  }

  static String ratio(Double r) {
    if (r == null) {
      return "n/a";
    }
    return String.format(Locale.ROOT, r >= 10 ? "%.1fx" : "%.2fx", r);
  }

  static String rate(Double perSecond) {
    if (perSecond == null) {
      return "n/a";
    }
    return String.format(Locale.ROOT, perSecond >= 100_000 ? "%.0f k" : "%.1f k",
        perSecond / 1000);
  }

  static String us(Double micros) {
    if (micros == null) {
      return "-";
    }
    return String.format(Locale.ROOT, micros >= 1000 ? "%.0f" : micros >= 10 ? "%.1f" : "%.2f",
        micros);
  }

  static String num(double d) {
    return d == Math.rint(d) ? String.format(Locale.ROOT, "%.0f", d)
        : String.format(Locale.ROOT, "%.1f", d);
  }

  private static String minutes(Duration d) {
    return d.toMinutes() + " min " + d.toSecondsPart() + " s";
  }

  /** Python writes offsets ({@code +00:00}), Java {@code Z}: accept both. */
  private static Instant parseInstant(String s) {
    try {
      return Instant.parse(s);
    } catch (RuntimeException e) {
      return OffsetDateTime.parse(s).toInstant();
    }
  }

  /** An exception chain written as "e <- cause <- ..." cut to its first link. */
  private static String firstOfChain(String s) {
    int cause = s.indexOf(" <- ");
    return cause > 0 ? s.substring(0, cause) : s;
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }
}
