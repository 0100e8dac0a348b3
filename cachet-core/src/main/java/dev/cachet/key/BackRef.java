package dev.cachet.key;

/**
 * Stands for a value that is also one of its own ancestors (a list that contains itself, a
 * parent-child graph with back pointers). {@code distance} counts the levels to go up: 1 is the
 * value directly enclosing this position. Distances rather than identities make the key of a
 * cyclic structure purely structural, so two separately built but identically shaped cycles get
 * equal keys, and the key does not change when the structure is nested in something else.
 */
final class BackRef {
  final int distance;

  BackRef(int distance) {
    this.distance = distance;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BackRef && ((BackRef) o).distance == distance;
  }

  @Override
  public int hashCode() {
    return 0x5e000000 ^ distance;
  }

  @Override
  public String toString() {
    return "^" + distance;
  }
}
