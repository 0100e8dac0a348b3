package dev.cachet.key;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * The key of a record (by component) or of a plain class (by field): its class plus the
 * snapshots of its values in {@link StructLayout} order. The class's own {@code equals} is not
 * used: it may be identity, may ignore fields, and the key must not change when the object
 * does.
 */
final class StructKey {
  final StructLayout layout;
  // Private snapshot values, never written after construction.
  final Object[] values;
  private final int hash;

  StructKey(StructLayout layout, Object[] values) {
    this.layout = layout;
    this.values = values;
    this.hash = layout.type.getName().hashCode() * 31 + Arrays.hashCode(values);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof StructKey)) {
      return false;
    }
    StructKey other = (StructKey) o;
    return hash == other.hash && layout.type == other.layout.type
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(", ", layout.type.getSimpleName() + "[", "]");
    for (int i = 0; i < values.length; i++) {
      j.add(layout.names[i] + "=" + values[i]);
    }
    return j.toString();
  }
}
