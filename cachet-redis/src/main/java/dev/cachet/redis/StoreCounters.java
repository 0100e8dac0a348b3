package dev.cachet.redis;

import dev.cachet.tier.StoreStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters behind {@link RedisStore#stats()}, of this process only. Kept apart from the
 * failure handling because reads, writes and the replay of pending removals all count here.
 */
final class StoreCounters {
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder writes = new LongAdder();
  final LongAdder corruptions = new LongAdder();
  final LongAdder failures = new LongAdder();
  /** Calls the breaker (or a missing connection) refused: reported as failures. */
  final LongAdder skipped = new LongAdder();

  /** Counts a miss; returns null, the value a read returns for it. */
  byte[] miss() {
    misses.increment();
    return null;
  }

  /**
   * The statistics with {@code entries} as given; Redis evicts and expires by itself, so
   * bytes, evictions and expirations are not known and are 0.
   */
  StoreStats stats(long entries) {
    return new StoreStats(entries, 0, hits.sum(), misses.sum(), writes.sum(), 0, 0,
        corruptions.sum(), failures.sum() + skipped.sum());
  }
}
