package dev.cachet;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that the compiler makes serializable, so Cachet can see which method a
 * lambda or method reference stands for (its parameter names, later its code). You never need
 * to name this type: passing a lambda or method reference to {@code memoize} selects it.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableFunction<A, R> extends Function<A, R>, Serializable {
}
