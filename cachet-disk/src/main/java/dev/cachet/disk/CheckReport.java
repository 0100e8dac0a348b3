package dev.cachet.disk;

import java.util.List;
import java.util.Objects;

/**
 * What {@link DiskStore#check} found: every problem, and for each whether it was fixed.
 *
 * @param problems the problems in the order found; empty when the store is healthy
 * @param entriesChecked how many entry rows were examined
 * @param filesChecked how many files in the side-file folder were examined
 */
public record CheckReport(List<Problem> problems, long entriesChecked, long filesChecked) {

  /** The kinds of trouble a check reports. */
  public enum Kind {
    /** SQLite's own check of the database file failed; cannot be fixed by Cachet. */
    DATABASE,
    /** An entry's frame does not decode (bad magic, length, checksum...). */
    CORRUPT_ENTRY,
    /** A row names a side file that does not exist. */
    MISSING_SIDE_FILE,
    /** The row's recorded size differs from the stored frame's. */
    SIZE_MISMATCH,
    /** A file in the side-file folder that no row names. */
    ORPHAN_FILE,
    /** The stored entry or byte totals disagree with the rows. */
    COUNTERS,
    /** Tag index rows pointing at entries that no longer exist. */
    DANGLING_TAGS,
    /** The check itself could not finish a step (I/O error, lock timeout). */
    CHECK_FAILED
  }

  /**
   * One problem.
   *
   * @param kind what is wrong
   * @param namespace the entry's namespace, or null when the problem is not about one entry
   * @param location the entry's digest, or the path of the file concerned, or null
   * @param detail a sentence for people
   * @param fixed whether {@code check(true)} repaired it
   */
  public record Problem(Kind kind, String namespace, String location, String detail,
      boolean fixed) {
    /**
     * Validates the fields.
     *
     * @param kind what is wrong
     * @param namespace the entry's namespace, or null
     * @param location the digest or file path, or null
     * @param detail a sentence for people
     * @param fixed whether it was repaired
     * @throws NullPointerException if kind or detail is null
     */
    public Problem {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Copies the problem list.
   *
   * @param problems the problems found; copied
   * @param entriesChecked how many entry rows were examined
   * @param filesChecked how many side-folder files were examined
   */
  public CheckReport {
    problems = List.copyOf(problems);
  }

  /**
   * Whether nothing was found at all.
   *
   * @return true if the store had no problems
   */
  public boolean clean() {
    return problems.isEmpty();
  }

  /**
   * The problems still present after the check.
   *
   * @return the problems not fixed
   */
  public List<Problem> remaining() {
    return problems.stream().filter(p -> !p.fixed()).toList();
  }

  /**
   * Whether the store is healthy now: clean, or every problem fixed.
   *
   * @return true if no problem remains
   */
  public boolean healthy() {
    return remaining().isEmpty();
  }
}
