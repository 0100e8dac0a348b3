package dev.cachet.stats;

/** Why an entry left a cache. */
public enum RemovalCause {
  /** Removed on request: {@code invalidate}, {@code cacheClear}, {@code invalidateAll}. */
  EXPLICIT,
  /** Its value was replaced by a newer one for the same key. */
  REPLACED,
  /** Evicted by the policy to respect the entry or weight bound. */
  SIZE,
  /** Its lifetime ran out (after write, after access, or its own per-entry lifetime). */
  EXPIRED;

  /** Whether the cache removed the entry by itself (size or expiry), not on request. */
  public boolean wasEvicted() {
    return this == SIZE || this == EXPIRED;
  }
}
