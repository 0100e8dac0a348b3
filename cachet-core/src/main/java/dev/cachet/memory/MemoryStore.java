package dev.cachet.memory;

import dev.cachet.stats.RemovalCause;

/**
 * A thread-safe, bounded in-memory map with a replacement policy and expiry: the memory tier.
 * Internal SPI, not part of the public API; obtain one with {@link MemoryStores#create}.
 *
 * <p>Keys and values are never null (callers wrap null results in a sentinel). An expired entry
 * is never returned, and is reclaimed during the store's own maintenance, which runs on the
 * calling threads (amortized over reads and writes), never on a background thread.
 */
public interface MemoryStore {

  /**
   * Returns the value for {@code key}, or null when absent or expired. Counts as an access for
   * the policy (recency, frequency, time to idle). Reads do not take a lock: the access is
   * buffered and applied to the policy during maintenance, before any eviction decision for the
   * exact policies (LRU, LFU, FIFO), and in batches for ADAPTIVE (call {@link #cleanUp()} after
   * each access to reproduce Caffeine's synchronous-maintenance hit ratios).
   */
  Object get(Object key);

  /** Returns the value for {@code key}, or null when absent or expired, without counting an access. */
  Object peek(Object key);

  /**
   * Inserts or replaces the value for {@code key}, then evicts as the bound requires. A
   * replacement is reported to the removal listener with {@link RemovalCause#REPLACED}; a
   * replacement counts as an access for LRU and LFU and as a new insertion for FIFO.
   */
  void put(Object key, Object value);

  /** Removes {@code key}; returns the removed value, or null when it was absent or expired. */
  Object remove(Object key);

  /** Removes every entry, reporting each with {@link RemovalCause#EXPLICIT}. */
  void clear();

  /** Number of entries held, possibly including expired entries not yet reclaimed. */
  long size();

  /** Total weight held; equals {@link #size()} when there is no weigher. */
  long weightedSize();

  /** The configuration this store was built from. */
  StoreConfig config();

  /** Runs pending maintenance now: applies buffered accesses, reclaims expired entries. */
  void cleanUp();

  /**
   * A live, weakly consistent view of the keys held, for adapters that must enumerate entries
   * (the JCache iterator, {@code removeAll()}): iterating never throws
   * {@link java.util.ConcurrentModificationException}, may or may not reflect changes made
   * meanwhile, and does not count as an access. Its iterator does not support removal; remove
   * through {@link #remove(Object)}. Possibly includes expired entries not yet reclaimed.
   */
  java.util.Set<Object> keys();

  /** Receives each entry that leaves a store, on the thread that caused it. */
  @FunctionalInterface
  interface RemovalListener {

    /** Called once per removed entry, after it left the store. Must not throw. */
    void onRemoval(Object key, Object value, RemovalCause cause);
  }
}
