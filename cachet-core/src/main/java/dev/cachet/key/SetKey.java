package dev.cachet.key;

import java.util.Set;

/**
 * The key of a {@link Set}: the set of its elements' snapshots. Every Set implementation with
 * equal elements gives an equal key; iteration order plays no part.
 */
final class SetKey {
  // Private to this key and never modified after construction.
  final Set<Object> elements;
  private final int hash;

  SetKey(Set<Object> elements) {
    this.elements = elements;
    this.hash = 0x5E7 * 0x9E3779B1 + elements.hashCode();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SetKey)) {
      return false;
    }
    SetKey other = (SetKey) o;
    return hash == other.hash && elements.equals(other.elements);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    // Iteration order of the backing set; for debugging only, the encoding sorts.
    return "set" + elements;
  }
}
