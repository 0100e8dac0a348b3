package dev.cachet.memo;

import dev.cachet.CacheInfo;
import dev.cachet.Memoized;
import dev.cachet.stats.CacheStats;

/** What the four memoized wrappers share: their cache and its key plan. */
abstract class MemoizedBase implements Memoized {
  final MemoCache cache;
  final KeyPlan keys;

  MemoizedBase(MemoCache cache, KeyPlan keys) {
    this.cache = cache;
    this.keys = keys;
  }

  @Override
  public String name() {
    return cache.name();
  }

  @Override
  public CacheInfo cacheInfo() {
    return cache.info();
  }

  @Override
  public CacheStats stats() {
    return cache.stats();
  }

  @Override
  public void cacheClear() {
    cache.clear();
  }

  @Override
  public void cleanUp() {
    cache.cleanUp();
  }

  @Override
  public String toString() {
    return "Memoized" + cache.toString().substring("Cache".length());
  }
}
