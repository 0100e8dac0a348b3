package dev.cachet;

import java.io.Serializable;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * A zero-argument lambda target that is both a {@link Supplier} and a {@link Callable}, so that
 * {@code cachet.memoize("name", () -> compute())} is not ambiguous between the two overloads.
 * A lambda whose body throws a checked exception must be given as a {@code Callable} variable.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableSupplier<R> extends Supplier<R>, Callable<R>, Serializable {

  /** Same as {@link #get()}. */
  @Override
  default R call() {
    return get();
  }
}
