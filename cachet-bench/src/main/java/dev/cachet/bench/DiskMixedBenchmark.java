package dev.cachet.bench;

import dev.cachet.bench.BenchmarkReport.Machine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Java side of the mixed disk benchmark: Cachet's {@code DiskStore} (default and LRU) and
 * Ehcache's persistent disk tier on a realistic workload, each store filled with every key
 * first, then measured cell by cell ({@link DiskMixedCell}), all from one operation file that
 * {@code diskcache_mixed.py} replays too. {@code run-disk-mixed.sh} runs both and
 * {@link DiskMixedReport} writes RESULTS.md.
 *
 * <p>Per contender: a fresh directory; population (every key once, shuffled, one thread,
 * reported as bulk-set throughput; Cachet's LRU store starts from a copy of the default
 * store's, as the two share one schema and population is only puts, unless
 * {@code --populate-each}); an unmeasured warm-up; the in-process cells in order,
 * on the same populated store (the cells replace values but never add keys, so the store
 * stays the same size); then the store is closed and the multi-process cells run as two
 * {@link DiskMixedWorker} JVMs on the same directory. A store that allows one process only
 * (Ehcache) gets one attempt, whose refusal is recorded.
 *
 * <p>Usage: {@code DiskMixedBenchmark --work DIR --json FILE [--ops FILE] [--keys N]
 * [--stream-ops N] [--warmup-ops N] [--seed N] [--cell-seconds S] [--warmup-seconds S]
 * [--contenders a,b] [--cells id,id] [--worker-jvm-args "ARGS"] [--keep-stores]
 * [--populate-each]}. The
 * operation file is written to {@code --ops} (default {@code DIR/ops.bin}) for the Python
 * side to read.
 */
public final class DiskMixedBenchmark {
  private DiskMixedBenchmark() {
  }

  /**
   * Settings of one run.
   *
   * @param work a scratch directory for the stores (each deleted after its contender)
   * @param opsFile where the operation file is written
   * @param keys how many keys
   * @param streamOps operations per measured stream: the most a cell's worker replays
   * @param warmupOps operations of the warm-up stream
   * @param seed fixes the operation file
   * @param cellSeconds the longest a cell's worker replays
   * @param warmupSeconds the unmeasured warm-up, per process
   * @param contenders Java contender names, in run order
   * @param cells the cells to measure, in run order
   * @param workerJvmArgs options for worker JVMs
   * @param keepStores whether to leave the stores in {@code work} (for inspection)
   * @param copyPopulated whether a contender starts from a copy of the populated store of an
   *     earlier one of the same family (Cachet's LRU store from the default one: the same
   *     schema and the same puts), instead of populating its own
   */
  record Config(Path work, Path opsFile, int keys, int streamOps, int warmupOps, long seed,
      double cellSeconds, double warmupSeconds, List<String> contenders,
      List<DiskMixedCell> cells, List<String> workerJvmArgs, boolean keepStores,
      boolean copyPopulated) {

    /**
     * The full-size defaults, about six minutes for the Java contenders on 2 cores.
     *
     * @param work the scratch directory
     * @return the settings
     */
    static Config defaults(Path work) {
      return new Config(work, work.resolve("ops.bin"), 1_000_000, 2_000_000, 500_000, 42,
          8, 3, DiskMixedContender.NAMES, List.of(DiskMixedCell.values()),
          List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"), false, true);
    }
  }

  /**
   * Runs the benchmark with the options in the class comment and writes the JSON results.
   *
   * @param args the options
   * @throws Exception if the run cannot start or its results cannot be written; a contender
   *     that fails is recorded and the run goes on
   */
  public static void main(String[] args) throws Exception {
    Path work = null;
    Path json = null;
    Path ops = null;
    int keys = -1;
    int streamOps = -1;
    int warmupOps = -1;
    long seed = -1;
    double cellSeconds = -1;
    double warmupSeconds = -1;
    List<String> contenders = null;
    List<DiskMixedCell> cells = null;
    List<String> jvmArgs = null;
    boolean keep = false;
    boolean copyPopulated = true;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--keep-stores")) {
        keep = true;
        continue;
      }
      if (a.equals("--populate-each")) {
        copyPopulated = false;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Missing value after " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--work" -> work = Path.of(v);
        case "--json" -> json = Path.of(v);
        case "--ops" -> ops = Path.of(v);
        case "--keys" -> keys = Integer.parseInt(v);
        case "--stream-ops" -> streamOps = Integer.parseInt(v);
        case "--warmup-ops" -> warmupOps = Integer.parseInt(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--cell-seconds" -> cellSeconds = Double.parseDouble(v);
        case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(v);
        case "--contenders" -> contenders = List.of(v.split(","));
        case "--cells" -> cells = Arrays.stream(v.split(",")).map(DiskMixedCell::byId).toList();
        case "--worker-jvm-args" -> jvmArgs = List.of(v.trim().split("\\s+"));
        default -> throw new IllegalArgumentException("Unknown option " + a);
      }
    }
    if (work == null || json == null) {
      throw new IllegalArgumentException("Usage: DiskMixedBenchmark --work DIR --json FILE "
          + "[options]; see the class comment");
    }
    Config d = Config.defaults(work);
    Config config = new Config(work, ops != null ? ops : d.opsFile(),
        keys > 0 ? keys : d.keys(), streamOps > 0 ? streamOps : d.streamOps(),
        warmupOps > 0 ? warmupOps : d.warmupOps(), seed >= 0 ? seed : d.seed(),
        cellSeconds > 0 ? cellSeconds : d.cellSeconds(),
        warmupSeconds >= 0 ? warmupSeconds : d.warmupSeconds(),
        contenders != null ? contenders : d.contenders(), cells != null ? cells : d.cells(),
        jvmArgs != null ? jvmArgs : d.workerJvmArgs(), keep, copyPopulated);
    DiskMixedResults.Run run = run(config);
    DiskMixedResults.write(run, json);
    System.out.println("Wrote " + json);
  }

  /**
   * Writes the operation file and measures every configured contender.
   *
   * @param config the settings
   * @return the results, one entry per contender (failed ones carry their error)
   * @throws IOException if the operation file cannot be written
   */
  static DiskMixedResults.Run run(Config config) throws IOException {
    String started = Instant.now().toString();
    String loadBefore = Machine.loadAverage();
    Files.createDirectories(config.work());
    long t0 = System.nanoTime();
    DiskMixedOps ops = DiskMixedOps.generate(config.keys(), config.streamOps(),
        config.warmupOps(), config.seed());
    ops.write(config.opsFile());
    log("operation file %s: %,d keys, %,d ops per stream, drawn in %.1f s", config.opsFile(),
        config.keys(), config.streamOps(), (System.nanoTime() - t0) / 1e9);
    List<DiskMixedResults.Contender> results = new ArrayList<>();
    Map<String, Populated> snapshots = new HashMap<>();
    try {
      List<String> names = config.contenders();
      for (int i = 0; i < names.size(); i++) {
        String family = DiskMixedContender.family(names.get(i));
        boolean laterSibling = names.subList(i + 1, names.size()).stream()
            .anyMatch(n -> family.equals(DiskMixedContender.family(n)));
        String shareWith = config.copyPopulated() && laterSibling
            && !snapshots.containsKey(family) ? family : null;
        results.add(runContender(names.get(i), ops, config, shareWith,
            config.copyPopulated() ? snapshots : new HashMap<>()));
      }
    } finally {
      for (Populated p : snapshots.values()) {
        DirectoryTrees.delete(p.dir());
      }
    }
    return new DiskMixedResults.Run("java", "Java " + DiskMixedVersions.jdk() + "; "
        + DiskMixedVersions.sqlite() + "; Ehcache " + DiskMixedVersions.ehcache(), started,
        Instant.now().toString(), loadBefore, Machine.loadAverage(), config.keys(),
        ops.valueBytes(), config.seed(), config.streamOps(), config.cellSeconds(),
        config.warmupSeconds(), results);
  }

  /**
   * A populated store kept aside for the next contender of the same family.
   *
   * @param name the contender that populated it
   * @param dir the copy
   */
  private record Populated(String name, Path dir) {
  }

  /**
   * Measures one contender.
   *
   * @param shareWith the family whose next contender should start from a copy of this one's
   *     populated store, or null
   * @param snapshots populated copies by family, filled and read here
   */
  private static DiskMixedResults.Contender runContender(String name, DiskMixedOps ops,
      Config config, String shareWith, Map<String, Populated> snapshots) {
    Path dir = config.work().resolve(name);
    long capNanos = (long) (config.cellSeconds() * 1e9);
    boolean multiProcess = DiskMixedContender.multiProcess(name);
    int stored = name.startsWith("cachet") ? DiskMixedCachet.frameBytes(ops.valueBytes())
        : ops.valueBytes();
    DiskMixedResults.Cell populate = null;
    List<DiskMixedResults.Cell> cells = new ArrayList<>();
    long failures = 0;
    boolean closed = false;
    String error = null;
    DiskMixedContender c = null;
    try {
      DirectoryTrees.delete(dir);
      Populated source = snapshots.get(DiskMixedContender.family(name));
      if (source != null) {
        copyRecursively(source.dir(), dir);
        populate = DiskMixedResults.Cell.skipped(DiskMixedOps.POPULATE, 1, false,
            "copied from " + source.name() + "'s populated store (same schema)");
        log("%s populate: copied from %s", name, source.name());
        c = DiskMixedContender.open(name, dir, ops);
      } else {
        c = DiskMixedContender.open(name, dir, ops);
        DiskMixedTally p = DiskMixedReplay.replay(c, ops, ops.stream(DiskMixedOps.POPULATE),
            Long.MAX_VALUE);
        p.settleNanos = settle(c);
        populate = DiskMixedResults.Cell.of(DiskMixedOps.POPULATE, 1, false, p);
        log("%s populate: %,d keys in %.1f s (%s sets/s)", name, p.ops, populate.seconds(),
            rate(populate.opsPerSec()));
        if (shareWith != null) {
          // Closed for the copy: a closed SQLite store is one consistent set of files.
          c.close();
          c = null;
          Path snapshot = config.work().resolve("populated-" + shareWith);
          DirectoryTrees.delete(snapshot);
          copyRecursively(dir, snapshot);
          snapshots.put(shareWith, new Populated(name, snapshot));
          c = DiskMixedContender.open(name, dir, ops);
        }
      }
      try {
        if (config.warmupSeconds() > 0) {
          DiskMixedReplay.replay(c, ops, ops.stream(DiskMixedOps.WARMUP),
              (long) (config.warmupSeconds() * 1e9));
          settle(c);
        }
        for (DiskMixedCell cell : config.cells()) {
          if (cell.processes()) {
            continue;
          }
          List<int[]> streams = cell.streams().stream().map(ops::stream).toList();
          DiskMixedTally t = DiskMixedReplay.threads(c, ops, streams, capNanos);
          t.settleNanos = settle(c);
          cells.add(logged(name, DiskMixedResults.Cell.of(cell.id(), streams.size(), false,
              t)));
        }
        failures = c.failures();
      } finally {
        c.close();
        closed = c.isClosed();
        c = null;
      }
      String refused = null;
      for (DiskMixedCell cell : config.cells()) {
        if (!cell.processes()) {
          continue;
        }
        int workers = cell.streams().size();
        if (refused != null) {
          cells.add(DiskMixedResults.Cell.skipped(cell.id(), workers, true, refused));
          continue;
        }
        DiskMixedProcesses.Outcome o;
        try {
          o = DiskMixedProcesses.run(name, dir, config.opsFile(), cell.streams(),
              config.cellSeconds(), config.warmupSeconds(), config.workerJvmArgs(),
              config.work());
        } catch (IOException e) {
          // A crashed or hung worker breaks this cell only; the next one starts afresh.
          String reason = DiskMixedWorker.oneLine(e);
          log("%s %s FAILED: %s", name, cell.id(), reason);
          cells.add(DiskMixedResults.Cell.failed(cell.id(), workers, true, reason));
          continue;
        }
        if (o.refused() != null && multiProcess) {
          String reason = "a worker could not open the store: " + o.refused();
          log("%s %s FAILED: %s", name, cell.id(), reason);
          cells.add(DiskMixedResults.Cell.failed(cell.id(), workers, true, reason));
          continue;
        }
        if (o.refused() != null) {
          // One refusal settles it: the store is single-process, the other cells say so too.
          // The exception's own text; its cause chain repeats it.
          String message = o.refused();
          int cause = message.indexOf(" <- ");
          refused = "single-process only; a second process opening the directory got: "
              + (cause > 0 ? message.substring(0, cause) : message);
          log("%s %s: %s", name, cell.id(), refused);
          cells.add(DiskMixedResults.Cell.skipped(cell.id(), workers, true, refused));
          continue;
        }
        failures += o.tally().storeFailures;
        closed &= o.tally().closed;
        cells.add(logged(name, DiskMixedResults.Cell.of(cell.id(), workers, true,
            o.tally())));
      }
    } catch (Exception | Error e) {
      error = DiskMixedWorker.oneLine(e);
      log("%s FAILED: %s", name, error);
      e.printStackTrace();
      if (c != null) {
        try {
          c.close();
        } catch (RuntimeException again) {
          log("%s: closing after the failure failed too: %s", name, again);
        }
      }
    } finally {
      if (!config.keepStores()) {
        try {
          DirectoryTrees.delete(dir);
        } catch (IOException | UncheckedIOException e) {
          log("could not delete %s: %s", dir, e);
        }
      }
    }
    return new DiskMixedResults.Contender(name,
        DiskMixedContender.describe(name, ops.keyCount()), stored, multiProcess, populate,
        cells, failures, closed, error);
  }

  private static long settle(DiskMixedContender c) {
    long start = System.nanoTime();
    c.settle();
    return System.nanoTime() - start;
  }

  private static DiskMixedResults.Cell logged(String name, DiskMixedResults.Cell c) {
    log("%s %s: %s ops/s over %.1f s (%,d ops), get p50/p99/mean %s/%s/%s us, "
        + "set p50/p99/mean %s/%s/%s us%s%s", name, c.cell(), rate(c.opsPerSec()), c.seconds(),
        c.ops(), us(c.getP50Us()), us(c.getP99Us()), us(c.getMeanUs()), us(c.setP50Us()),
        us(c.setP99Us()), us(c.setMeanUs()),
        c.misses() > 0 ? ", " + c.misses() + " MISSES" : "",
        c.errors() > 0 ? ", " + c.errors() + " ERRORS: " + c.firstError() : "");
    return c;
  }

  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%.1f k", perSecond / 1000);
  }

  static String us(Double micros) {
    return micros == null ? "-" : String.format(Locale.ROOT, "%.1f", micros);
  }

  private static void log(String format, Object... args) {
    System.out.println("[disk-mixed] " + String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  static void copyRecursively(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
