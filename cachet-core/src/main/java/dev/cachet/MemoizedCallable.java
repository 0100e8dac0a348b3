package dev.cachet;

import java.util.concurrent.Callable;

/**
 * A {@link Callable} whose result is computed once and then served from the cache until it is
 * invalidated, evicted or expires. Exceptions thrown by the callable reach the caller unchanged
 * and are not cached unless the cache was configured to cache them.
 *
 * @param <R> the result type
 */
public interface MemoizedCallable<R> extends Callable<R>, Memoized {

  /** The callable being memoized, for calls that must bypass the cache. */
  Callable<R> wrapped();

  /** Drops the cached result, if any; returns whether one was present. */
  boolean invalidate();
}
