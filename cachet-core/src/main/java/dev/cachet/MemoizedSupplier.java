package dev.cachet;

import java.util.function.Supplier;

/**
 * A {@link Supplier} whose result is computed once and then served from the cache until it is
 * invalidated, evicted or expires.
 *
 * @param <R> the result type
 */
public interface MemoizedSupplier<R> extends Supplier<R>, Memoized {

  /** The supplier being memoized, for calls that must bypass the cache. */
  Supplier<R> wrapped();

  /** Drops the cached result, if any; returns whether one was present. */
  boolean invalidate();
}
