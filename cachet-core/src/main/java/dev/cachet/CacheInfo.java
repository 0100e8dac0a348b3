package dev.cachet;

/**
 * A snapshot of a cache's counters in the shape of Python's {@code functools} {@code CacheInfo}.
 *
 * <p>{@code misses} counts the calls that really ran the wrapped function; every other call is a
 * hit, including callers that waited for a computation already in flight for the same key.
 *
 * @param hits calls answered without running the wrapped function
 * @param misses calls that ran the wrapped function
 * @param maxSize the entry bound, the weight bound for weight-bounded caches, or
 *     {@link #UNBOUNDED} when the cache was built with {@code unbounded()}
 * @param currSize the number of entries currently held
 */
public record CacheInfo(long hits, long misses, long maxSize, long currSize) {

  /** The {@link #maxSize()} of a cache without a bound. */
  public static final long UNBOUNDED = -1;

  /** Whether the cache has an entry or weight bound. */
  public boolean bounded() {
    return maxSize != UNBOUNDED;
  }

  /** Formats like Python: {@code CacheInfo(hits=3, misses=8, maxsize=32, currsize=8)}. */
  @Override
  public String toString() {
    return "CacheInfo(hits=" + hits + ", misses=" + misses + ", maxsize="
        + (bounded() ? Long.toString(maxSize) : "None") + ", currsize=" + currSize + ")";
  }
}
