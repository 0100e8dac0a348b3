package dev.cachet;

import dev.cachet.memo.CacheConfig;
import dev.cachet.stats.CacheListener;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The settings shared by {@link Cachet.Builder} (defaults for every cache) and
 * {@link CacheSpec} (one cache). Each method returns a new, independent object: a partly set
 * builder can be reused as a template.
 *
 * <p>Package-private on purpose: users meet these settings as methods of {@code CacheSpec} and
 * {@code Cachet.Builder}, never as a type of their own (one name per concept). The compiler
 * gives both public subclasses public bridges for the inherited methods, so they can be called
 * from any package and module.
 *
 * @param <S> the concrete builder type
 */
abstract class CacheOptions<S extends CacheOptions<S>> {
  final CacheConfig config;

  CacheOptions(CacheConfig config) {
    this.config = config;
  }

  /** A copy of this builder holding {@code config}. */
  abstract S copy(CacheConfig config);

  final S with(Consumer<CacheConfig.Mutable> edit) {
    return copy(config.with(edit));
  }

  /**
   * Bounds the cache to {@code maximumSize} entries. Replaces any weight bound or
   * {@link #unbounded()}. Zero holds nothing.
   *
   * @throws IllegalArgumentException when negative
   */
  public S maximumSize(long maximumSize) {
    if (maximumSize < 0) {
      throw new IllegalArgumentException("maximumSize must be zero or positive, got "
          + maximumSize + ". For a cache without a bound, call unbounded().");
    }
    return with(m -> m.bySize(maximumSize));
  }

  /**
   * Bounds the cache by the total weight of its entries, as computed by {@code weigher} when
   * each entry is stored. Replaces any entry bound or {@link #unbounded()}.
   *
   * @throws IllegalArgumentException when {@code maximumWeight} is negative
   * @throws NullPointerException when {@code weigher} is null
   */
  public S maximumWeight(long maximumWeight, Weigher weigher) {
    if (maximumWeight < 0) {
      throw new IllegalArgumentException("maximumWeight must be zero or positive, got "
          + maximumWeight + ".");
    }
    Objects.requireNonNull(weigher, "maximumWeight needs a weigher; got null");
    return with(m -> m.byWeight(maximumWeight, weigher));
  }

  /**
   * Removes every bound: the cache grows until entries expire or are invalidated. Only for
   * caches whose key space is known to be small; its {@code toString} says it is unbounded.
   */
  public S unbounded() {
    return with(CacheConfig.Mutable::noBound);
  }

  /** Sets the eviction policy; {@link EvictionPolicy#ADAPTIVE} by default. */
  public S policy(EvictionPolicy policy) {
    Objects.requireNonNull(policy,
        "policy must not be null; the default is EvictionPolicy.ADAPTIVE");
    return with(m -> m.policy = policy);
  }

  /**
   * Expires each entry {@code duration} after it was written (time to live).
   *
   * @throws IllegalArgumentException when not positive
   */
  public S expireAfterWrite(Duration duration) {
    Duration d = positive("expireAfterWrite", duration);
    return with(m -> m.expireAfterWrite = d);
  }

  /**
   * Expires each entry {@code duration} after it was last read or written (time to idle).
   *
   * @throws IllegalArgumentException when not positive
   */
  public S expireAfterAccess(Duration duration) {
    Duration d = positive("expireAfterAccess", duration);
    return with(m -> m.expireAfterAccess = d);
  }

  /** Gives each entry its own lifetime, computed when it is stored; see {@link Expiry}. */
  public S expireAfter(Expiry expiry) {
    Objects.requireNonNull(expiry, "expiry");
    return with(m -> m.expiry = expiry);
  }

  /**
   * {@code true} keeps numbers of different types apart in keys ({@code 1}, {@code 1L} and
   * {@code 1.0} are three keys); {@code false}, the default, treats equal numbers as one key,
   * as Python does.
   */
  public S typed(boolean typed) {
    return with(m -> m.typed = typed);
  }

  /** Whether null results are cached; {@code true} by default. */
  public S cacheNulls(boolean cacheNulls) {
    return with(m -> m.cacheNulls = cacheNulls);
  }

  /** Adds a listener for hit, miss, load, eviction and invalidation events. */
  public S listener(CacheListener listener) {
    Objects.requireNonNull(listener, "listener");
    return with(m -> m.listeners.add(listener));
  }

  static Duration positive(String what, Duration d) {
    Objects.requireNonNull(d, what + " needs a duration; got null");
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be longer than zero, got " + d + ".");
    }
    return d;
  }
}
