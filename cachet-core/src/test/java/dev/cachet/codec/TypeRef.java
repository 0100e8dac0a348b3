package dev.cachet.codec;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * Captures a generic type in a test: {@code new TypeRef<List<User>>() {}.type()}, the way a
 * memoized function's {@code getGenericReturnType()} would give it.
 */
abstract class TypeRef<T> {
  final Type type() {
    return ((ParameterizedType) getClass().getGenericSuperclass()).getActualTypeArguments()[0];
  }
}
