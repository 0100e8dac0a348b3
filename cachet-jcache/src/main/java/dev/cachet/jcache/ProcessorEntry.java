package dev.cachet.jcache;

import javax.cache.integration.CacheLoader;
import javax.cache.processor.MutableEntry;

/**
 * The entry an {@link javax.cache.processor.EntryProcessor} works on: it records what the
 * processor did (read, created, loaded, updated, removed) for {@link CachetCache#invoke} to
 * apply once the processor returns, as the specification's reference implementation does.
 */
final class ProcessorEntry<K, V> implements MutableEntry<K, V> {
  enum Operation {
    NONE,
    ACCESS,
    CREATE,
    LOAD,
    UPDATE,
    REMOVE
  }

  private final K key;
  private final Expirable current;
  private final Copier copier;
  private final CacheLoader<K, V> loader;
  private V value;
  private Operation operation = Operation.NONE;

  /**
   * @param current the live entry, or null when absent (expired entries are passed as null)
   * @param loader the loader when read-through is on, else null
   */
  ProcessorEntry(K key, Expirable current, Copier copier, CacheLoader<K, V> loader) {
    this.key = key;
    this.current = current;
    this.copier = copier;
    this.loader = loader;
  }

  Operation operation() {
    return operation;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V getValue() {
    if (operation == Operation.NONE) {
      if (current == null) {
        value = null;
      } else if (value == null) {
        value = (V) copier.readValue(current.stored);
      }
    }
    if (value != null) {
      if (operation == Operation.NONE) {
        operation = Operation.ACCESS;
      }
    } else if (loader != null) {
      value = CachetCache.load(loader, key);
      if (value != null) {
        operation = Operation.LOAD;
      }
    }
    return value;
  }

  @Override
  public boolean exists() {
    return (operation == Operation.NONE && current != null) || value != null;
  }

  @Override
  public void remove() {
    operation = operation == Operation.CREATE || operation == Operation.LOAD ? Operation.NONE
        : Operation.REMOVE;
    value = null;
  }

  @Override
  public void setValue(V value) {
    if (value == null) {
      throw new NullPointerException("MutableEntry.setValue(null): remove the entry instead");
    }
    operation = current == null ? Operation.CREATE : Operation.UPDATE;
    this.value = value;
  }

  /** The value set or loaded by the processor. */
  V newValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("An entry processor's entry does not unwrap to "
        + clazz.getName());
  }
}
