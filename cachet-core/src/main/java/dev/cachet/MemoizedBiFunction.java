package dev.cachet;

import java.util.function.BiFunction;

/**
 * A {@link BiFunction} whose results are cached by both arguments. Thread-safe: concurrent calls
 * with the same arguments run the wrapped function once and share its result.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <R> the result type
 */
public interface MemoizedBiFunction<A, B, R> extends BiFunction<A, B, R>, Memoized {

  /** The function being memoized, for calls that must bypass the cache. */
  BiFunction<A, B, R> wrapped();

  /** Drops the cached result for these arguments, if any; returns whether one was present. */
  boolean invalidate(A first, B second);
}
