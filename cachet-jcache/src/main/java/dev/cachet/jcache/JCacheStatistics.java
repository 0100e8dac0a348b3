package dev.cachet.jcache;

import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The JCache statistics of one cache, counted as the specification's reference implementation
 * counts them (a load through read-through is a miss, not a put; {@code putIfAbsent} that finds
 * an entry is a hit; and so on). Counting happens only while statistics are enabled; times are
 * averaged in microseconds over the operations of their kind.
 */
final class JCacheStatistics implements CacheStatisticsMXBean {
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder getNanos = new LongAdder();
  private final LongAdder putNanos = new LongAdder();
  private final LongAdder removeNanos = new LongAdder();
  private volatile boolean enabled;

  boolean enabled() {
    return enabled;
  }

  void enabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** {@link System#nanoTime()} when counting, 0 otherwise: the start of a timed operation. */
  long start() {
    return enabled ? System.nanoTime() : 0;
  }

  void hits(long n) {
    if (enabled) {
      hits.add(n);
    }
  }

  void misses(long n) {
    if (enabled) {
      misses.add(n);
    }
  }

  void puts(long n) {
    if (enabled) {
      puts.add(n);
    }
  }

  void removals(long n) {
    if (enabled) {
      removals.add(n);
    }
  }

  void evictions(long n) {
    if (enabled) {
      evictions.add(n);
    }
  }

  void getTime(long start) {
    if (enabled && start != 0) {
      getNanos.add(System.nanoTime() - start);
    }
  }

  void putTime(long start) {
    if (enabled && start != 0) {
      putNanos.add(System.nanoTime() - start);
    }
  }

  void removeTime(long start) {
    if (enabled && start != 0) {
      removeNanos.add(System.nanoTime() - start);
    }
  }

  @Override
  public void clear() {
    hits.reset();
    misses.reset();
    puts.reset();
    removals.reset();
    evictions.reset();
    getNanos.reset();
    putNanos.reset();
    removeNanos.reset();
  }

  @Override
  public long getCacheHits() {
    return hits.sum();
  }

  @Override
  public float getCacheHitPercentage() {
    long h = getCacheHits();
    return h == 0 ? 0 : (float) h / getCacheGets() * 100.0f;
  }

  @Override
  public long getCacheMisses() {
    return misses.sum();
  }

  @Override
  public float getCacheMissPercentage() {
    long m = getCacheMisses();
    return m == 0 ? 0 : (float) m / getCacheGets() * 100.0f;
  }

  @Override
  public long getCacheGets() {
    return getCacheHits() + getCacheMisses();
  }

  @Override
  public long getCachePuts() {
    return puts.sum();
  }

  @Override
  public long getCacheRemovals() {
    return removals.sum();
  }

  @Override
  public long getCacheEvictions() {
    return evictions.sum();
  }

  @Override
  public float getAverageGetTime() {
    return average(getNanos.sum(), getCacheGets());
  }

  @Override
  public float getAveragePutTime() {
    return average(putNanos.sum(), getCachePuts());
  }

  @Override
  public float getAverageRemoveTime() {
    return average(removeNanos.sum(), getCacheRemovals());
  }

  private static float average(long nanos, long count) {
    return count == 0 ? 0 : (float) nanos / count / 1000f;
  }
}
