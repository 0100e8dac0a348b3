package dev.cachet.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * A store under test in the mixed disk benchmark, opened on a directory of its own. Java
 * contenders implement this; diskcache is driven by {@code diskcache_mixed.py} instead.
 * Implementations are safe for use by several threads, as the stores they wrap are.
 */
interface DiskMixedContender extends AutoCloseable {
  /** The Java contenders, in the order a run measures them. */
  List<String> NAMES = List.of(DiskMixedCachet.DEFAULT, DiskMixedCachet.LRU,
      DiskMixedCachet.POWER_LOSS, DiskMixedEhcache.NAME);

  /**
   * Reads a key.
   *
   * @param key the key
   * @return whether the store had it
   */
  boolean get(String key);

  /**
   * Writes a key, replacing any value.
   *
   * @param key the key
   * @param variant which of the values given at open to write (the op file's rule picks it)
   */
  void set(String key, int variant);

  /**
   * Brings the store to rest after a phase: work it deferred (Cachet's write-behind journal,
   * buffered access times) is done now, inside the phase that caused it, not in the next one.
   * Nothing by default.
   */
  default void settle() {
  }

  /**
   * Failures the store counted without throwing (Cachet's DiskStore counts and logs some
   * instead of failing the caller); thrown ones are counted by the replay loop.
   *
   * @return the count so far; read before {@link #close()}
   */
  long failures();

  /** Closes the store; after it, {@link #isClosed()} tells whether that fully succeeded. */
  @Override
  void close();

  /**
   * Whether the store reports itself closed.
   *
   * @return true once {@link #close()} has returned and the store agrees it is closed
   */
  boolean isClosed();

  /**
   * Opens a contender by name on {@code dir}.
   *
   * @param name one of {@link #NAMES}
   * @param dir its directory (created if absent)
   * @param ops the run's operations: the key count (which sizes Ehcache's heap tier) and the
   *     values sets write, prepared once here so the measured loop only passes an index
   * @return the open contender
   */
  static DiskMixedContender open(String name, Path dir, DiskMixedOps ops) {
    byte[][] values = new byte[ops.valueVariants()][];
    for (int i = 0; i < values.length; i++) {
      values[i] = ops.value(i);
    }
    switch (name) {
      case DiskMixedCachet.DEFAULT:
      case DiskMixedCachet.LRU:
      case DiskMixedCachet.POWER_LOSS:
        return DiskMixedCachet.open(name, dir, values);
      case DiskMixedEhcache.NAME:
        return DiskMixedEhcache.open(dir, ops.keyCount(), values);
      default:
        throw new IllegalArgumentException("Unknown contender " + name + "; Java ones are "
            + NAMES);
    }
  }

  /**
   * A one-line description of a contender's configuration, for the report.
   *
   * @param name one of {@link #NAMES}
   * @param keyCount how many keys the run uses
   * @return the description
   */
  static String describe(String name, int keyCount) {
    switch (name) {
      case DiskMixedCachet.DEFAULT:
      case DiskMixedCachet.LRU:
      case DiskMixedCachet.POWER_LOSS:
        return DiskMixedCachet.describe(name);
      case DiskMixedEhcache.NAME:
        return DiskMixedEhcache.describe(keyCount);
      default:
        throw new IllegalArgumentException("Unknown contender " + name);
    }
  }

  /**
   * Which contenders share a storage format, so that one's populated store can stand in for
   * another's: Cachet's default and LRU stores have one schema (the eviction order is an open
   * option), and populating is only puts, which do the same work under both.
   *
   * @param name one of {@link #NAMES}
   * @return the family, never null; each non-Cachet contender is a family of its own
   */
  static String family(String name) {
    return name.startsWith("cachet-") ? "cachet" : name;
  }

  /**
   * Whether several processes may open the same directory at once.
   *
   * @param name one of {@link #NAMES}
   * @return true for Cachet, false for Ehcache
   */
  static boolean multiProcess(String name) {
    return !DiskMixedEhcache.NAME.equals(name);
  }
}
