package dev.cachet.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * Thread-safe counters behind {@link CacheStats}. Internal: used by Cachet's caches, not part of
 * the public API. Striped adders keep the hit path free of contention.
 */
public final class StatsCounter {
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder loadSuccesses = new LongAdder();
  private final LongAdder loadFailures = new LongAdder();
  private final LongAdder totalLoadTime = new LongAdder();
  private final LongAdder evictionsBySize = new LongAdder();
  private final LongAdder expirations = new LongAdder();
  private final LongAdder invalidations = new LongAdder();

  /** Creates counters at zero. */
  public StatsCounter() {
  }

  /** Counts one hit. */
  public void recordHit() {
    hits.increment();
  }

  /** Counts one miss. */
  public void recordMiss() {
    misses.increment();
  }

  /** Counts a successful load and its duration. */
  public void recordLoadSuccess(long nanos) {
    loadSuccesses.increment();
    totalLoadTime.add(nanos);
  }

  /** Counts a failed load and its duration. */
  public void recordLoadFailure(long nanos) {
    loadFailures.increment();
    totalLoadTime.add(nanos);
  }

  /** Counts an entry that left the cache for the given cause; replacements are not counted. */
  public void recordRemoval(RemovalCause cause) {
    switch (cause) {
      case SIZE -> evictionsBySize.increment();
      case EXPIRED -> expirations.increment();
      case EXPLICIT -> invalidations.increment();
      case REPLACED -> { }
    }
  }

  /** Hits so far. */
  public long hits() {
    return hits.sum();
  }

  /** Misses so far. */
  public long misses() {
    return misses.sum();
  }

  /** Resets every counter to zero, as Python's {@code cache_clear()} does. */
  public void reset() {
    hits.reset();
    misses.reset();
    loadSuccesses.reset();
    loadFailures.reset();
    totalLoadTime.reset();
    evictionsBySize.reset();
    expirations.reset();
    invalidations.reset();
  }

  /** A snapshot with the given current size and weight. */
  public CacheStats snapshot(long size, long weight) {
    return new CacheStats(hits.sum(), misses.sum(), loadSuccesses.sum(), loadFailures.sum(),
        totalLoadTime.sum(), evictionsBySize.sum(), expirations.sum(), invalidations.sum(),
        size, weight);
  }
}
