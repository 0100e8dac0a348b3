package dev.cachet.disk;

/**
 * What a {@link DiskStore} put survives once it has returned. Chosen with
 * {@link DiskStoreOptions.Builder#durability}.
 */
public enum Durability {
  /**
   * A put survives a crash or kill of the process that made it, but not a crash of the
   * machine or a power loss: its journal record is in the operating system's page cache, and
   * SQLite commits with {@code synchronous=NORMAL} (in WAL mode the database itself is never
   * damaged by a power loss; the last commits before it may be lost). The default: a cache
   * can recompute what it loses.
   */
  PROCESS_CRASH,

  /**
   * A put also survives a power loss or a crash of the machine: its journal record is synced
   * to the disk before the put returns (one {@code fdatasync} shared by all the puts that
   * arrive meanwhile, as a group commit), and SQLite commits with {@code synchronous=FULL}.
   * Each put then waits for the disk; cachet-bench's RESULTS.md gives the measured cost.
   */
  POWER_LOSS
}
