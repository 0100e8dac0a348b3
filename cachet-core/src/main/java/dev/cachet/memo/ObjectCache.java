package dev.cachet.memo;

import dev.cachet.Cache;
import dev.cachet.CacheInfo;
import dev.cachet.key.KeyMaker;
import dev.cachet.stats.CacheStats;
import java.util.List;
import java.util.function.Function;

/** A {@link Cache} over the same engine as memoized functions. */
final class ObjectCache<K, V> implements Cache<K, V> {
  private final MemoCache cache;
  private final KeyMaker keys;

  ObjectCache(MemoCache cache) {
    this.cache = cache;
    this.keys = KeyMaker.of(cache.name(), List.of("key"), cache.config().typed());
  }

  @Override
  public String name() {
    return cache.name();
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(K key, Function<? super K, ? extends V> loader) {
    Object k = keys.keyOf(key);
    Object stored = cache.probe(k);
    if (stored != null) {
      return (V) (cache.refreshes() ? cache.serve(k, stored, () -> loader.apply(key))
          : cache.unwrap(stored));
    }
    return (V) cache.miss(k, () -> loader.apply(key));
  }

  @Override
  @SuppressWarnings("unchecked")
  public V getIfPresent(K key) {
    return (V) cache.getIfPresent(keys.keyOf(key));
  }

  @Override
  public void put(K key, V value) {
    cache.put(keys.keyOf(key), value);
  }

  @Override
  public boolean invalidate(K key) {
    return cache.invalidate(keys.keyOf(key));
  }

  @Override
  public void invalidateAll() {
    cache.invalidateAll();
  }

  @Override
  public CacheStats stats() {
    return cache.stats();
  }

  @Override
  public CacheInfo cacheInfo() {
    return cache.info();
  }

  @Override
  public long estimatedSize() {
    return cache.size();
  }

  @Override
  public void cleanUp() {
    cache.cleanUp();
  }

  @Override
  public String toString() {
    return cache.toString();
  }
}
