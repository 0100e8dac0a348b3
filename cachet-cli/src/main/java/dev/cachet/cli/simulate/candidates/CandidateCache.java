package dev.cachet.cli.simulate.candidates;

/**
 * A single-threaded, entry-count bounded cache model that the simulator replays a trace through:
 * only the keys matter, values are never stored. Each {@link #access} is a read that, on a miss,
 * is followed by an attempt to store the key (which a policy with an admission filter may
 * decline).
 *
 * <p>These models exist to compare eviction designs side by side before one is worth writing as
 * a thread-safe store; they are not used by any cache.
 */
public interface CandidateCache {

  /**
   * Records one access to {@code key}.
   *
   * @return true on a hit (the key was resident before this access)
   */
  boolean access(long key);

  /** The number of resident keys, never above the capacity the cache was created with. */
  int size();

  /**
   * The resident keys, coldest first as far as the policy orders them, for a design that hands
   * its contents over to another policy.
   *
   * @throws UnsupportedOperationException when the model does not list its keys
   */
  default long[] residentKeys() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not list keys");
  }
}
