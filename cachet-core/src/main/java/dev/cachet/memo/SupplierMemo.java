package dev.cachet.memo;

import dev.cachet.MemoizedSupplier;
import java.util.function.Supplier;

/** The memoized form of a {@link Supplier}: one entry under a constant key. */
final class SupplierMemo<R> extends MemoizedBase implements MemoizedSupplier<R> {
  private final Supplier<R> supplier;
  private final Object key;

  SupplierMemo(MemoCache cache, KeyPlan keys, Supplier<R> supplier) {
    super(cache, keys);
    this.supplier = supplier;
    this.key = keys.key(new Object[0]);
  }

  @Override
  @SuppressWarnings("unchecked")
  public R get() {
    Object stored = cache.probe(key);
    if (stored != null) {
      return (R) (cache.refreshes() ? cache.serve(key, stored, supplier::get)
          : cache.unwrap(stored));
    }
    return (R) cache.miss(key, supplier::get);
  }

  @Override
  public Supplier<R> wrapped() {
    return supplier;
  }

  @Override
  public boolean invalidate() {
    return cache.invalidate(key);
  }
}
