package dev.cachet.stats;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counters of one cache at one moment. Immutable; take a new snapshot to see later activity.
 *
 * @param hits lookups answered from the cache (including waiters on an in-flight load)
 * @param misses lookups that ran the loader or wrapped function
 * @param loadSuccesses loads that returned a value (null included)
 * @param loadFailures loads that threw
 * @param totalLoadTimeNanos time spent in loads, successful or not
 * @param evictionsBySize entries evicted to respect the bound
 * @param expirations entries removed because their lifetime ran out
 * @param invalidations entries removed on request
 * @param size entries currently held
 * @param weight total weight currently held (equals {@code size} when no weigher is set)
 * @param hitsByTier hits by the tier that served them, fastest first: {@code "memory"} then
 *     each store below memory by its description (such as {@code disk:/var/cache/app}); empty
 *     for a memory-only cache, whose hits all come from memory
 */
public record CacheStats(
    long hits,
    long misses,
    long loadSuccesses,
    long loadFailures,
    long totalLoadTimeNanos,
    long evictionsBySize,
    long expirations,
    long invalidations,
    long size,
    long weight,
    Map<String, Long> hitsByTier) {

  /** Copies {@code hitsByTier}, keeping its order. */
  public CacheStats {
    hitsByTier = Collections.unmodifiableMap(new LinkedHashMap<>(hitsByTier));
  }

  /** Counters of a cache without tiers below memory. */
  public CacheStats(long hits, long misses, long loadSuccesses, long loadFailures,
      long totalLoadTimeNanos, long evictionsBySize, long expirations, long invalidations,
      long size, long weight) {
    this(hits, misses, loadSuccesses, loadFailures, totalLoadTimeNanos, evictionsBySize,
        expirations, invalidations, size, weight, Map.of());
  }

  /** These counters with {@code hitsByTier} as the split of hits by tier. */
  public CacheStats withHitsByTier(Map<String, Long> hitsByTier) {
    return new CacheStats(hits, misses, loadSuccesses, loadFailures, totalLoadTimeNanos,
        evictionsBySize, expirations, invalidations, size, weight, hitsByTier);
  }

  /** Hits plus misses. */
  public long requests() {
    return hits + misses;
  }

  /** Fraction of requests that hit, or 1.0 when there were none (as Caffeine reports it). */
  public double hitRatio() {
    long requests = requests();
    return requests == 0 ? 1.0 : (double) hits / requests;
  }

  /** Mean time of a load, or zero when nothing was loaded. */
  public Duration averageLoadTime() {
    long loads = loadSuccesses + loadFailures;
    return loads == 0 ? Duration.ZERO : Duration.ofNanos(totalLoadTimeNanos / loads);
  }

  /** Entries removed by the cache itself: {@code evictionsBySize + expirations}. */
  public long evictions() {
    return evictionsBySize + expirations;
  }
}
