package dev.cachet.memo;

import dev.cachet.MemoizedFunction;
import java.util.function.Function;

/** The memoized form of a {@link Function}. */
final class FunctionMemo<A, R> extends MemoizedBase implements MemoizedFunction<A, R> {
  private final Function<A, R> function;

  FunctionMemo(MemoCache cache, KeyPlan keys, Function<A, R> function) {
    super(cache, keys);
    this.function = function;
  }

  @Override
  @SuppressWarnings("unchecked")
  public R apply(A arg) {
    Object key = keys.key1(arg);
    Object stored = cache.probe(key);
    if (stored != null) {
      return (R) (cache.refreshes() ? cache.serve(key, stored, () -> function.apply(arg))
          : cache.unwrap(stored));
    }
    return (R) cache.miss(key, () -> function.apply(arg));
  }

  @Override
  public Function<A, R> wrapped() {
    return function;
  }

  @Override
  public boolean invalidate(A arg) {
    return cache.invalidate(keys.key1(arg));
  }
}
