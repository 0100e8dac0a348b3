package dev.cachet;

/**
 * Computes the weight of an entry for caches bounded by {@code maximumWeight}. Called once when
 * the entry is stored; the weight does not change afterwards.
 *
 * <p>For memoized functions the key is Cachet's snapshot of the arguments and the value is the
 * function's result, which may be {@code null} when null results are cached.
 */
@FunctionalInterface
public interface Weigher {

  /**
   * Returns the weight of an entry; must be zero or positive.
   *
   * @param key the entry's key, never null
   * @param value the entry's value, possibly null
   */
  long weigh(Object key, Object value);
}
