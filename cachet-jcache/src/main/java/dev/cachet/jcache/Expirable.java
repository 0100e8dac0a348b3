package dev.cachet.jcache;

/**
 * What the memory store holds for one JCache entry: the value in its kept form (see
 * {@link Copier}) and when it expires, in epoch milliseconds ({@link Long#MAX_VALUE} for never).
 * The value never changes (an update stores a new {@code Expirable}, so that the memory policy
 * sees the write); the expiry time does, on access, under the entry's lock.
 */
final class Expirable {
  static final long ETERNAL = Long.MAX_VALUE;

  final Object stored;
  private volatile long expireAtMillis;
  /** The key's digest in the tiers, kept only for caches whose tiers other processes share. */
  volatile String digest;

  Expirable(Object stored, long expireAtMillis) {
    this.stored = stored;
    this.expireAtMillis = expireAtMillis;
  }

  long expireAtMillis() {
    return expireAtMillis;
  }

  void expireAt(long millis) {
    this.expireAtMillis = millis;
  }

  boolean isExpiredAt(long nowMillis) {
    return expireAtMillis <= nowMillis;
  }
}
