package dev.cachet.memo;

import dev.cachet.MemoizedBiFunction;
import java.util.function.BiFunction;

/** The memoized form of a {@link BiFunction}. */
final class BiFunctionMemo<A, B, R> extends MemoizedBase implements MemoizedBiFunction<A, B, R> {
  private final BiFunction<A, B, R> function;

  BiFunctionMemo(MemoCache cache, KeyPlan keys, BiFunction<A, B, R> function) {
    super(cache, keys);
    this.function = function;
  }

  @Override
  @SuppressWarnings("unchecked")
  public R apply(A first, B second) {
    Object key = keys.key(new Object[] {first, second});
    Object stored = cache.probe(key);
    if (stored != null) {
      return (R) (cache.refreshes() ? cache.serve(key, stored, () -> function.apply(first, second))
          : cache.unwrap(stored));
    }
    return (R) cache.miss(key, () -> function.apply(first, second));
  }

  @Override
  public BiFunction<A, B, R> wrapped() {
    return function;
  }

  @Override
  public boolean invalidate(A first, B second) {
    return cache.invalidate(keys.key(new Object[] {first, second}));
  }
}
