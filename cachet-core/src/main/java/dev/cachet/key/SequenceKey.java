package dev.cachet.key;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * An immutable ordered sequence of snapshots: the key of a {@link java.util.List} or of the
 * arguments of a call. The two kinds never equal each other, so {@code f(a, b)} and
 * {@code f(List.of(a, b))} get different keys.
 */
final class SequenceKey {
  /** What the sequence stands for; part of equality and of the encoding. */
  enum Kind {
    LIST, ARGS
  }

  /** The key of a call without (kept) arguments. */
  static final SequenceKey NO_ARGS = new SequenceKey(Kind.ARGS, new Object[0]);

  final Kind kind;
  // Never exposed and never written after construction: that is what makes the key immutable.
  final Object[] elements;
  private final int hash;

  SequenceKey(Kind kind, Object[] elements) {
    this.kind = kind;
    this.elements = elements;
    // Precomputed: keys are hashed on every cache lookup, elements may be large.
    this.hash = kind.ordinal() * 0x9E3779B1 + Arrays.hashCode(elements);
  }

  int size() {
    return elements.length;
  }

  Object get(int i) {
    return elements[i];
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SequenceKey)) {
      return false;
    }
    SequenceKey other = (SequenceKey) o;
    return hash == other.hash && kind == other.kind && Arrays.equals(elements, other.elements);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    StringJoiner j = kind == Kind.ARGS ? new StringJoiner(", ", "(", ")")
        : new StringJoiner(", ", "[", "]");
    for (Object e : elements) {
      j.add(String.valueOf(e));
    }
    return j.toString();
  }
}
