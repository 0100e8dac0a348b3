package dev.cachet.disk;

/** Which entries a {@link DiskStore} drops first when it is over its size limit. */
public enum EvictionMode {
  /**
   * The entries stored longest ago, whatever their reads (FIFO by write time). Reads are then
   * counted but not recorded per entry, so they never cost a database write: an entry's
   * {@link EntryInfo#accessCount()} and {@link EntryInfo#accessedMillis()} stay as written.
   */
  LEAST_RECENTLY_STORED,
  /** The entries read longest ago; reads are recorded in batches, so the order lags a little. */
  LRU,
  /** The entries read least often, ties broken by the oldest last read. */
  LFU
}
