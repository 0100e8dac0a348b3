package dev.cachet.bench;

import java.util.List;

/**
 * One measured configuration of the mixed disk benchmark: an operation mix and how many
 * workers replay it, as threads of one process or as separate processes on the same store
 * directory. Each worker replays its own stream; a one-worker cell replays the first stream of
 * its two-worker sibling. {@code diskcache_mixed.py} lists the same cells under the same ids,
 * in the same order, which is also the order every contender runs them in.
 */
enum DiskMixedCell {
  MIX95_1T("mix95-1t", "95% get / 5% set, 1 thread", 5, false, "mix95-0"),
  MIX95_2T("mix95-2t", "95% get / 5% set, 2 threads", 5, false, "mix95-0", "mix95-1"),
  MIX50_1T("mix50-1t", "50% get / 50% set, 1 thread", 50, false, "mix50-0"),
  MIX50_2T("mix50-2t", "50% get / 50% set, 2 threads", 50, false, "mix50-0", "mix50-1"),
  READ_1T("read-1t", "read-only phase (100% get), 1 thread", 0, false, "read-0"),
  WRITE_1T("write-1t", "write-only phase (100% set), 1 thread", 100, false, "write-0"),
  // Last, so that the parent process closes its store once, after its in-process cells.
  MIX95_2P("mix95-2p", "95% get / 5% set, 2 processes x 1 thread", 5, true, "mix95-0",
      "mix95-1"),
  MIX50_2P("mix50-2p", "50% get / 50% set, 2 processes x 1 thread", 50, true, "mix50-0",
      "mix50-1");

  private final String id;
  private final String title;
  private final int writePercent;
  private final boolean processes;
  private final List<String> streams;

  DiskMixedCell(String id, String title, int writePercent, boolean processes,
      String... streams) {
    this.id = id;
    this.title = title;
    this.writePercent = writePercent;
    this.processes = processes;
    this.streams = List.of(streams);
  }

  /** The id used in result files and on the command line, such as {@code mix95-2p}. */
  String id() {
    return id;
  }

  /** A heading for the report. */
  String title() {
    return title;
  }

  /** The share of sets, in percent. */
  int writePercent() {
    return writePercent;
  }

  /** Whether the workers are separate processes (each one thread) rather than threads. */
  boolean processes() {
    return processes;
  }

  /** One stream name per worker. */
  List<String> streams() {
    return streams;
  }

  /**
   * The cell with this id.
   *
   * @param id such as {@code read-1t}
   * @return the cell
   * @throws IllegalArgumentException for an unknown id
   */
  static DiskMixedCell byId(String id) {
    for (DiskMixedCell c : values()) {
      if (c.id.equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException("Unknown cell " + id);
  }
}
