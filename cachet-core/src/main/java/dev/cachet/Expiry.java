package dev.cachet;

import java.time.Duration;

/**
 * Chooses a lifetime per entry when it is stored, for example a short one for empty results.
 * The entry expires at the earliest of this lifetime and the cache's own
 * {@code expireAfterWrite} and {@code expireAfterAccess} limits.
 */
@FunctionalInterface
public interface Expiry {

  /**
   * Returns how long the entry lives after being stored, or {@code null} to apply only the
   * cache's own limits.
   *
   * @param key the entry's key, never null
   * @param value the entry's value, possibly null
   */
  Duration expireAfterWrite(Object key, Object value);
}
