package dev.cachet;

import dev.cachet.CacheInfo;
import dev.cachet.stats.CacheStats;

/** What every memoized function offers besides being called: its counters and its cache. */
public interface Memoized {

  /** The name given at creation; it names the cache in statistics, events and errors. */
  String name();

  /** Hits, misses, bound and current size, like Python's {@code cache_info()}. */
  CacheInfo cacheInfo();

  /** Full statistics: loads, load time, evictions by cause, size and weight. */
  CacheStats stats();

  /**
   * Drops every cached result and resets the counters, like Python's {@code cache_clear()}.
   * Computations in flight finish for their callers but their results are not stored.
   */
  void cacheClear();

  /**
   * Runs pending maintenance now: applies buffered accesses and reclaims expired entries, so
   * that {@code stats()} and {@code cacheInfo().currSize()} reflect them. Never needed for
   * correctness: expired entries are never returned.
   */
  void cleanUp();
}
