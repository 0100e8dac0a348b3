package dev.cachet.memo;

import dev.cachet.MemoizedCallable;
import java.util.concurrent.Callable;

/** The memoized form of a {@link Callable}: one entry under a constant key. */
final class CallableMemo<R> extends MemoizedBase implements MemoizedCallable<R> {
  private final Callable<R> callable;
  private final Object key;

  CallableMemo(MemoCache cache, KeyPlan keys, Callable<R> callable) {
    super(cache, keys);
    this.callable = callable;
    this.key = keys.key(new Object[0]);
  }

  @Override
  @SuppressWarnings("unchecked")
  public R call() throws Exception {
    Object stored = cache.probe(key);
    if (stored != null) {
      return (R) (cache.refreshes() ? cache.serve(key, stored, callable::call)
          : cache.unwrap(stored));
    }
    return (R) cache.miss(key, callable::call);
  }

  @Override
  public Callable<R> wrapped() {
    return callable;
  }

  @Override
  public boolean invalidate() {
    return cache.invalidate(key);
  }
}
