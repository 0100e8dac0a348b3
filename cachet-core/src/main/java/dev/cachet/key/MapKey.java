package dev.cachet.key;

import java.util.Map;

/**
 * The key of a {@link Map}: the mapping between its keys' and values' snapshots. Every Map
 * implementation with equal entries gives an equal key, whatever the insertion order.
 */
final class MapKey {
  // Private to this key and never modified after construction.
  final Map<Object, Object> entries;
  private final int hash;

  MapKey(Map<Object, Object> entries) {
    this.entries = entries;
    this.hash = 0x3A9 * 0x9E3779B1 + entries.hashCode();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof MapKey)) {
      return false;
    }
    MapKey other = (MapKey) o;
    return hash == other.hash && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "map" + entries;
  }
}
