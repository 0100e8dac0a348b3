package dev.cachet;

import java.util.function.Function;

/**
 * A {@link Function} whose results are cached by argument. Thread-safe: concurrent calls with
 * the same argument run the wrapped function once and share its result.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
public interface MemoizedFunction<A, R> extends Function<A, R>, Memoized {

  /** The function being memoized, for calls that must bypass the cache. */
  Function<A, R> wrapped();

  /** Drops the cached result for {@code arg}, if any; returns whether one was present. */
  boolean invalidate(A arg);
}
