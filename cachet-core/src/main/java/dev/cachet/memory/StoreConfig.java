package dev.cachet.memory;

import dev.cachet.EvictionPolicy;
import dev.cachet.Ticker;
import java.util.Objects;

/**
 * The settings of one {@link MemoryStore}. Internal; immutable.
 *
 * @param policy the replacement policy
 * @param maximumSize the entry bound, or {@link #UNSET}
 * @param maximumWeight the weight bound, or {@link #UNSET}; at most one of the two bounds is set,
 *     and neither only for an unbounded store
 * @param weigher computes entry weights; non-null exactly when {@code maximumWeight} is set
 * @param expireAfterWriteNanos lifetime after each write, or {@link #UNSET}
 * @param expireAfterAccessNanos lifetime after each read or write, or {@link #UNSET}
 * @param entryExpiry per-entry lifetime after write, or null
 * @param ticker the time source
 * @param removalListener told about every removal; never null (use a no-op)
 */
public record StoreConfig(
    EvictionPolicy policy,
    long maximumSize,
    long maximumWeight,
    EntryWeigher weigher,
    long expireAfterWriteNanos,
    long expireAfterAccessNanos,
    EntryExpiry entryExpiry,
    Ticker ticker,
    MemoryStore.RemovalListener removalListener) {

  /** Marks a numeric setting that is not set. */
  public static final long UNSET = -1;

  /** Validates the combination. */
  public StoreConfig {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(removalListener, "removalListener");
    if (maximumSize != UNSET && maximumWeight != UNSET) {
      throw new IllegalArgumentException("set maximumSize or maximumWeight, not both");
    }
    if (maximumSize < UNSET || maximumWeight < UNSET) {
      throw new IllegalArgumentException("bounds must be zero or positive");
    }
    if ((maximumWeight != UNSET) != (weigher != null)) {
      throw new IllegalArgumentException("a weigher goes with maximumWeight, and only with it");
    }
    if (expireAfterWriteNanos < UNSET || expireAfterAccessNanos < UNSET) {
      throw new IllegalArgumentException("lifetimes must be zero or positive");
    }
  }

  /** Whether an entry or weight bound is set. */
  public boolean bounded() {
    return maximumSize != UNSET || maximumWeight != UNSET;
  }

  /** Whether any kind of expiry is set. */
  public boolean expires() {
    return expireAfterWriteNanos != UNSET || expireAfterAccessNanos != UNSET || entryExpiry != null;
  }

  /** A store config with only a policy and an entry bound, for simulators and tests. */
  public static StoreConfig ofSize(EvictionPolicy policy, long maximumSize) {
    return new StoreConfig(policy, maximumSize, UNSET, null, UNSET, UNSET, null,
        System::nanoTime, (k, v, c) -> { });
  }

  /** Computes the weight of an entry when it is stored. */
  @FunctionalInterface
  public interface EntryWeigher {

    /** Weight of the entry; zero or positive. */
    long weigh(Object key, Object value);
  }

  /** Computes the lifetime of an entry when it is stored. */
  @FunctionalInterface
  public interface EntryExpiry {

    /** Nanoseconds the entry lives after this write, or {@link #UNSET} for no own limit. */
    long expireAfterWriteNanos(Object key, Object value);
  }
}
