package dev.cachet.jcache;

import java.util.Objects;
import javax.cache.Cache;

/** An entry handed out by the iterator of a {@link CachetCache}: a key and a value, copies when stored by value. */
public final class CachetEntry<K, V> implements Cache.Entry<K, V> {
  private final K key;
  private final V value;

  CachetEntry(K key, V value) {
    this.key = key;
    this.value = value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("A Cachet cache entry unwraps to "
        + CachetEntry.class.getName() + " only, not " + clazz.getName());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CachetEntry<?, ?> e && Objects.equals(key, e.key)
        && Objects.equals(value, e.value);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(key) ^ Objects.hashCode(value);
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
