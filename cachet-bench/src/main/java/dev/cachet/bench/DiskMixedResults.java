package dev.cachet.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON results file of one harness of the mixed disk benchmark (the Java one, or
 * {@code diskcache_mixed.py}, which writes the same fields), which {@link DiskMixedReport}
 * merges into RESULTS.md.
 */
final class DiskMixedResults {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private DiskMixedResults() {
  }

  /**
   * One harness's run.
   *
   * @param harness {@code java} or {@code python}
   * @param runtime the runtime and library versions
   * @param startedAt ISO-8601 instant
   * @param finishedAt ISO-8601 instant
   * @param loadBefore load average (1 / 5 / 15 min) before the run
   * @param loadAfter load average after
   * @param keys how many keys each store held
   * @param valueBytes the length of each value
   * @param seed the operation file's seed
   * @param streamOps operations per measured stream
   * @param cellSeconds the longest a cell's workers replay
   * @param warmupSeconds the unmeasured warm-up per process
   * @param contenders the stores measured
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Run(String harness, String runtime, String startedAt, String finishedAt,
      String loadBefore, String loadAfter, int keys, int valueBytes, long seed, int streamOps,
      double cellSeconds, double warmupSeconds, List<Contender> contenders) {
  }

  /**
   * One store.
   *
   * @param name such as {@code cachet-default} or {@code diskcache-lru}
   * @param description its configuration, for the report
   * @param storedValueBytes what the store is given per value (Cachet: the frame)
   * @param multiProcess whether several processes may share its directory
   * @param populate filling every key once, one thread (bulk-set throughput)
   * @param cells the measured cells, in {@link DiskMixedCell} order
   * @param failures failures the store counted without throwing
   * @param closed whether the store closed cleanly at the end
   * @param error why the contender stopped early, or null
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Contender(String name, String description, int storedValueBytes, boolean multiProcess,
      Cell populate, List<Cell> cells, long failures, boolean closed, String error) {
  }

  /**
   * One cell (or the population phase) of one store.
   *
   * @param cell the {@link DiskMixedCell} id, or {@code populate}
   * @param workers threads or processes
   * @param processes whether the workers were processes
   * @param ops operations done, summed over workers
   * @param gets gets done
   * @param sets sets done
   * @param misses gets that found nothing (every key is present, so these are faults)
   * @param errors operations that threw
   * @param seconds the longest worker's replay plus the settle time
   * @param settleSeconds deferred work done after the replay (Cachet's write-behind), counted
   *     in {@code seconds}
   * @param opsPerSec {@code ops / seconds}
   * @param getP50Us median get latency, µs
   * @param getP99Us 99th percentile get latency, µs
   * @param setP50Us median set latency, µs
   * @param setP99Us 99th percentile set latency, µs
   * @param getMeanUs mean get latency, µs
   * @param setMeanUs mean set latency, µs
   * @param firstError the first exception's text, or null
   * @param skipped why the cell did not run (the store does not support it), or null
   * @param failed why the cell broke off (a worker crashed, hung or threw), or null
   * @param note how the numbers were taken where that differs from the rest, or null (the
   *     Python side's population, which switches to batches after a time budget)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Cell(String cell, int workers, boolean processes, long ops, long gets, long sets,
      long misses, long errors, double seconds, double settleSeconds, double opsPerSec,
      Double getP50Us, Double getP99Us, Double setP50Us, Double setP99Us, Double getMeanUs,
      Double setMeanUs, String firstError, String skipped, String failed, String note) {

    /**
     * A measured cell.
     *
     * @param cell the id
     * @param workers threads or processes
     * @param processes whether processes
     * @param t the merged tally, its settle time included
     * @return the result
     */
    static Cell of(String cell, int workers, boolean processes, DiskMixedTally t) {
      long settleNanos = t.settleNanos;
      double seconds = (t.elapsedNanos + settleNanos) / 1e9;
      return new Cell(cell, workers, processes, t.ops, t.gets, t.sets, t.misses, t.errors,
          seconds, settleNanos / 1e9, seconds > 0 ? t.ops / seconds : 0,
          t.getNanos.percentileMicros(50), t.getNanos.percentileMicros(99),
          t.setNanos.percentileMicros(50), t.setNanos.percentileMicros(99),
          t.getNanos.meanMicros(), t.setNanos.meanMicros(), t.firstError, null, null, null);
    }

    /**
     * A cell that did not run.
     *
     * @param cell the id
     * @param workers threads or processes it would have had
     * @param processes whether processes
     * @param reason why not
     * @return the result
     */
    static Cell skipped(String cell, int workers, boolean processes, String reason) {
      return new Cell(cell, workers, processes, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, null,
          null, null, null, reason, null, null);
    }

    /**
     * A cell that broke off.
     *
     * @param cell the id
     * @param workers threads or processes
     * @param processes whether processes
     * @param reason what went wrong
     * @return the result
     */
    static Cell failed(String cell, int workers, boolean processes, String reason) {
      return new Cell(cell, workers, processes, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, null,
          null, null, null, null, reason, null);
    }
  }

  /**
   * Writes a run.
   *
   * @param run the run
   * @param file where
   * @throws IOException if writing fails
   */
  static void write(Run run, Path file) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(run));
  }

  /**
   * Reads a run written by either harness.
   *
   * @param file the file
   * @return the run
   * @throws IOException if reading fails
   */
  static Run read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), Run.class);
  }
}
