package dev.cachet;

/**
 * How a bounded cache chooses what to evict when it is full.
 *
 * <p>All policies accept an entry bound ({@code maximumSize}) or a weight bound
 * ({@code maximumWeight}), expiry after write, expiry after access and per-entry expiry.
 */
public enum EvictionPolicy {
  /**
   * Window TinyLFU, delegated to Caffeine: near-optimal hit ratios on most workloads and the
   * fastest concurrent cache on the JVM. The default. Eviction order is adaptive and not exactly
   * predictable; use one of the other policies when you need exact semantics.
   */
  ADAPTIVE,
  /** Least recently used: evicts the entry whose last read or write is oldest. */
  LRU,
  /**
   * Least frequently used: evicts the entry with the fewest reads and writes since it was
   * inserted; among entries with equal counts, the least recently used one goes first.
   */
  LFU,
  /**
   * First in, first out: evicts the entry inserted earliest. Reads do not change the order;
   * replacing the value of a present key counts as a new insertion (as in Python's cachetools).
   */
  FIFO,
  /**
   * Window TinyLFU whose setting is chosen online by sampled shadow caches, Cachet's own: three
   * small keys-only caches, one per setting, replay the keys of a thirty-second of the hash space
   * (all keys for stores of up to 512 entries), and the store takes the setting whose shadow
   * hits most: a 1% window with frequency-based admission (with or without letting a frequent
   * loser in now and then), or a 100% window, which is plain LRU. So it keeps a loop or a
   * scan's survivors as W-TinyLFU does, and follows recency as LRU does when recency wins.
   * Experimental and not the default; eviction order is adaptive and not exactly predictable.
   * On the reference traces it is within one point of the best of the other four policies in 57
   * of 60 cells and 0.9 points ahead of {@link #ADAPTIVE} on average (up to 8 on loops and
   * scans), for about 1.4x Caffeine's memory per entry; choose it when loops, scans or shifts
   * between recency and frequency matter more than that memory. See the "Policy comparison"
   * section of cachet-bench/RESULTS.md.
   */
  SHADOW_TUNED
}
