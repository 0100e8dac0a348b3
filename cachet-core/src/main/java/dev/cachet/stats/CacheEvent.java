package dev.cachet.stats;

/**
 * Something that happened in a cache, delivered to {@link CacheListener}s on the thread that
 * caused it. For {@link Type#EVICTION} under {@code EvictionPolicy.ADAPTIVE}, that is the thread
 * running Caffeine's maintenance, which may be a thread of the JVM's common pool.
 *
 * @param type what happened
 * @param cacheName the name of the cache or memoized function
 * @param key the key involved: for memoized functions, Cachet's snapshot of the arguments
 * @param cause for {@link Type#EVICTION} and {@link Type#INVALIDATION}, why the entry left;
 *     otherwise null
 * @param loadNanos for {@link Type#LOAD_SUCCESS} and {@link Type#LOAD_FAILURE}, how long the load
 *     took; otherwise zero
 * @param failure for {@link Type#LOAD_FAILURE}, what the load threw; otherwise null
 */
public record CacheEvent(
    Type type, String cacheName, Object key, RemovalCause cause, long loadNanos, Throwable failure) {

  /** The kinds of event. */
  public enum Type {
    /** A lookup found a value. */
    HIT,
    /** A lookup found nothing and will load. */
    MISS,
    /** A load returned a value. */
    LOAD_SUCCESS,
    /** A load threw. */
    LOAD_FAILURE,
    /** The cache removed an entry by itself, for size or expiry (see {@link #cause()}). */
    EVICTION,
    /** An entry was removed or replaced on request (see {@link #cause()}). */
    INVALIDATION
  }
}
