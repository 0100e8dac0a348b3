package dev.cachet;

import dev.cachet.stats.CacheStats;
import java.util.function.Function;

/**
 * A plain key-value cache, for code that looks values up itself instead of memoizing a
 * function. Obtain one from {@link Cachet#cache(String)} or {@link CacheSpec#cache()}.
 *
 * <p>Keys are snapshotted like memoized arguments: a mutable list used as a key can be changed
 * afterwards without corrupting the cache, and with {@code typed(false)} {@code 1} and
 * {@code 1L} are the same key. Null keys are allowed and are one key. Thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface Cache<K, V> {

  /** The name given at creation. */
  String name();

  /**
   * Returns the value for {@code key}, computing it with {@code loader} when absent. However
   * many threads ask for one absent key at once, the loader runs once and all of them get its
   * result; if it throws, all of them get the exception and nothing is cached.
   *
   * @return the value, possibly null when the loader returned null
   */
  V get(K key, Function<? super K, ? extends V> loader);

  /** Returns the value for {@code key}, or null when absent, expired, or a cached null. */
  V getIfPresent(K key);

  /** Stores {@code value} for {@code key}, replacing any previous value; null is allowed. */
  void put(K key, V value);

  /** Removes the value for {@code key}; returns whether one was present. */
  boolean invalidate(K key);

  /** Removes every value. Statistics are kept. */
  void invalidateAll();

  /** Full statistics. */
  CacheStats stats();

  /** Python-style counters: hits, misses, bound and current size. */
  CacheInfo cacheInfo();

  /** Number of entries held, possibly including expired ones not yet reclaimed. */
  long estimatedSize();

  /** Runs pending maintenance now, such as reclaiming expired entries. */
  void cleanUp();
}
