package dev.cachet.jcache;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/** One created, updated, removed or expired entry, as listeners receive it. */
final class CachetEntryEvent<K, V> extends CacheEntryEvent<K, V> {
  private static final long serialVersionUID = 1L;

  private final K key;
  private final transient V value;
  private final transient V oldValue;
  private final boolean oldValueAvailable;

  CachetEntryEvent(Cache<K, V> source, EventType type, K key, V value, V oldValue,
      boolean oldValueAvailable) {
    super(source, type);
    this.key = key;
    this.value = value;
    this.oldValue = oldValue;
    this.oldValueAvailable = oldValueAvailable;
  }

  /** The same event as a listener that did not ask for old values sees it. */
  CachetEntryEvent<K, V> withoutOldValue() {
    boolean gone = getEventType() == EventType.REMOVED || getEventType() == EventType.EXPIRED;
    return new CachetEntryEvent<>(getSource(), getEventType(), key, gone ? null : value, null,
        false);
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
  public V getOldValue() {
    return oldValueAvailable ? oldValue : null;
  }

  @Override
  public boolean isOldValueAvailable() {
    return oldValueAvailable;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("A Cachet cache event does not unwrap to "
        + clazz.getName());
  }

  @Override
  public String toString() {
    return "CacheEntryEvent[" + getEventType() + " " + key + "]";
  }
}
