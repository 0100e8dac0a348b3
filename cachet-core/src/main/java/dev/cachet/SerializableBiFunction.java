package dev.cachet;

import java.io.Serializable;
import java.util.function.BiFunction;

/**
 * A {@link BiFunction} that the compiler makes serializable, so Cachet can see which method a
 * lambda or method reference stands for. Passing a lambda or method reference to
 * {@code memoize} selects it.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableBiFunction<A, B, R> extends BiFunction<A, B, R>, Serializable {
}
