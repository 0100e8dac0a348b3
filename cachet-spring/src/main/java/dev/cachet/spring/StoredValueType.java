package dev.cachet.spring;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * The generic type {@code StoredValue<V>}, which Cachet's tiers decode stored entries into, so
 * that a {@code Book} comes back as a {@code Book} and not as a map.
 */
final class StoredValueType implements ParameterizedType {
  private final Type valueType;

  StoredValueType(Type valueType) {
    this.valueType = Objects.requireNonNull(valueType, "valueType");
  }

  @Override
  public Type[] getActualTypeArguments() {
    return new Type[] {valueType};
  }

  @Override
  public Type getRawType() {
    return StoredValue.class;
  }

  @Override
  public Type getOwnerType() {
    return null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ParameterizedType p && p.getRawType() == StoredValue.class
        && p.getOwnerType() == null && p.getActualTypeArguments().length == 1
        && valueType.equals(p.getActualTypeArguments()[0]);
  }

  @Override
  public int hashCode() {
    // The contract of ParameterizedType's JDK implementation, so both kinds are equal in sets.
    return java.util.Arrays.hashCode(getActualTypeArguments()) ^ StoredValue.class.hashCode();
  }

  @Override
  public String toString() {
    return StoredValue.class.getName() + "<" + valueType.getTypeName() + ">";
  }
}
