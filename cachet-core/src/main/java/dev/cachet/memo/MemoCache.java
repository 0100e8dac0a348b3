package dev.cachet.memo;

import dev.cachet.CacheInfo;
import dev.cachet.Ticker;
import dev.cachet.memory.MemoryStore;
import dev.cachet.memory.MemoryStores;
import dev.cachet.memory.StoreConfig;
import dev.cachet.stats.CacheEvent;
import dev.cachet.stats.CacheListener;
import dev.cachet.stats.CacheStats;
import dev.cachet.stats.RemovalCause;
import dev.cachet.stats.StatsCounter;
import dev.cachet.tier.TierAccess;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The engine behind every memoized function and object cache: a memory store, single-flight
 * loading, statistics and events. Internal.
 *
 * <p>Loads never run inside a map lock (unlike {@code ConcurrentHashMap.computeIfAbsent}), so a
 * memoized function may call itself or other memoized functions from any thread without
 * deadlock or "recursive update" errors. Concurrent callers of one missing key wait on a
 * {@link Flight} owned by the first caller.
 */
public final class MemoCache {
  private final String name;
  private final CacheConfig config;
  private final MemoryStore store;
  private final StatsCounter stats = new StatsCounter();
  private final CacheListener[] listeners;
  private final Ticker ticker;
  private final ConcurrentHashMap<Object, Flight> flights = new ConcurrentHashMap<>();
  /** The tiers below memory, or null for a memory-only cache. */
  private final TierAccess tiers;

  /** Creates the memory-only cache {@code name} with {@code config}. */
  public MemoCache(String name, CacheConfig config) {
    this(name, config, null);
  }

  /** Creates the cache {@code name} with {@code config} over {@code tiers} (null for none). */
  public MemoCache(String name, CacheConfig config, TierAccess tiers) {
    this.tiers = tiers;
    this.name = name;
    this.config = config;
    this.listeners = config.listeners.toArray(CacheListener[]::new);
    this.ticker = config.ticker;
    this.store = MemoryStores.create(storeConfig(config));
  }

  private StoreConfig storeConfig(CacheConfig c) {
    StoreConfig.EntryWeigher weigher = null;
    if (c.maximumWeight() >= 0) {
      dev.cachet.Weigher user = c.weigher;
      weigher = (k, v) -> v instanceof StoredFailure ? 1 : checkedWeight(user.weigh(k, unwrapNull(v)));
    }
    StoreConfig.EntryExpiry entryExpiry = null;
    if (c.expiry != null || c.cacheExceptions != null) {
      dev.cachet.Expiry user = c.expiry;
      long failureNanos = c.cacheExceptions == null ? StoreConfig.UNSET : nanos(c.cacheExceptions);
      entryExpiry = (k, v) -> {
        if (v instanceof StoredFailure) {
          return failureNanos;
        }
        if (user == null) {
          return StoreConfig.UNSET;
        }
        Duration d = user.expireAfterWrite(k, unwrapNull(v));
        return d == null ? StoreConfig.UNSET : nanos(d);
      };
    }
    return new StoreConfig(c.policy, c.effectiveMaximumSize(), c.maximumWeight(), weigher,
        c.expireAfterWrite == null ? StoreConfig.UNSET : nanos(c.expireAfterWrite),
        c.expireAfterAccess == null ? StoreConfig.UNSET : nanos(c.expireAfterAccess),
        entryExpiry, c.ticker, this::onRemoval);
  }

  private static long checkedWeight(long w) {
    if (w < 0) {
      throw new IllegalStateException("the weigher returned a negative weight (" + w
          + "); weights must be zero or positive");
    }
    return w;
  }

  private static long nanos(Duration d) {
    try {
      return Math.max(0, d.toNanos());
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  private static Object unwrapNull(Object stored) {
    return stored == NullValue.INSTANCE ? null : stored;
  }

  /** The cache's name. */
  public String name() {
    return name;
  }

  /** The settings this cache was built with. */
  public CacheConfig config() {
    return config;
  }

  /**
   * The hit half of a lookup, split from {@link #miss} so callers build their loader only on a
   * miss and keep the hit path free of allocation: returns the stored form (pass it to
   * {@link #unwrap}) and counts a hit, or returns null without counting anything.
   */
  Object probe(Object key) {
    Object stored = store.get(key);
    if (stored != null) {
      recordHit(key);
    }
    return stored;
  }

  /**
   * The miss half: loads {@code key} once for all concurrent callers (single-flight), from a
   * lower tier or with {@code loader}, and caches the result as the settings allow. Throws
   * whatever the loader throws, unchanged.
   */
  Object miss(Object key, Loader loader) {
    Flight mine = new Flight();
    Flight running = flights.putIfAbsent(key, mine);
    if (running != null) {
      return join(key, loader, running);
    }
    try {
      // A load that finished between our lookup and our flight registration has stored its
      // result; serving it avoids computing the same key twice.
      Object stored = store.get(key);
      if (stored != null) {
        recordHit(key);
        if (stored instanceof StoredFailure f) {
          mine.outcome.completeExceptionally(f.failure());
        } else {
          mine.outcome.complete(unwrapNull(stored));
        }
        return unwrap(stored);
      }
      if (tiers != null) {
        TierAccess.Found found = tiers.lookup(key);
        if (found != null) {
          Object value = found.value();
          if (shouldStore(value) && !mine.invalidated) {
            store.put(key, value == null ? NullValue.INSTANCE : value);
          }
          recordHit(key);
          mine.outcome.complete(value);
          return value;
        }
      }
      stats.recordMiss();
      fire(CacheEvent.Type.MISS, key, null, 0, null);
      return load(key, loader, mine, mine);
    } finally {
      flights.remove(key, mine);
      if (!mine.outcome.isDone()) {
        // Only reached if Cachet itself failed; waiters must not hang on a flight nobody runs.
        mine.outcome.completeExceptionally(new IllegalStateException(
            "the load of " + key + " in cache '" + name + "' ended without a result"));
      }
    }
  }

  /** Waits for the flight already loading {@code key}, unless waiting could never end. */
  private Object join(Object key, Loader loader, Flight running) {
    Thread me = Thread.currentThread();
    if (running.owner == me && !(me instanceof ForkJoinWorkerThread)) {
      throw new IllegalStateException("Memoized function '" + name + "' called itself with"
          + " the same arguments (" + key + ") while computing them; this recursion would"
          + " never end. Make the recursive call with different arguments.");
    }
    if (me instanceof ForkJoinWorkerThread) {
      // A fork/join worker must not block on another load: the thread running it may be
      // blocked in ForkJoinTask.join() on work that needs this worker (or, when it is this very
      // thread, be further up this stack), an edge no waits-for graph of flights can see.
      // Computing here costs at most a duplicate computation; waiting could deadlock the pool.
      return loadNested(key, loader, running);
    }
    Flight previous = Flight.startWaiting(running);
    if (previous == null) {
      // Waiting would close a cycle of threads each waiting for another's load (fork/join
      // workers nesting loads across threads): no flight in it could ever finish.
      return loadNested(key, loader, running);
    }
    try {
      recordHit(key);
      return running.await();
    } finally {
      Flight.stopWaiting(previous);
    }
  }

  private Object loadNested(Object key, Loader loader, Flight running) {
    stats.recordMiss();
    fire(CacheEvent.Type.MISS, key, null, 0, null);
    return load(key, loader, running, new Flight());
  }

  /**
   * Runs the loader and stores its result as the settings allow, unless {@code watched} was
   * invalidated meanwhile; completes {@code outcome} for the callers waiting on it.
   */
  private Object load(Object key, Loader loader, Flight watched, Flight outcome) {
    long start = ticker.read();
    Object value;
    try {
      value = loader.load();
    } catch (Throwable t) {
      long took = ticker.read() - start;
      stats.recordLoadFailure(took);
      fire(CacheEvent.Type.LOAD_FAILURE, key, null, took, t);
      if (config.cacheExceptions != null && !(t instanceof Error)) {
        storeUnlessInvalidated(key, new StoredFailure(t), watched);
      }
      outcome.outcome.completeExceptionally(t);
      throw Sneaky.rethrow(t);
    }
    long took = ticker.read() - start;
    stats.recordLoadSuccess(took);
    fire(CacheEvent.Type.LOAD_SUCCESS, key, null, took, null);
    try {
      if (shouldStore(value)) {
        storeUnlessInvalidated(key, value == null ? NullValue.INSTANCE : value, watched);
        if (tiers != null && !watched.invalidated) {
          tiers.write(key, value);
        }
      }
    } finally {
      outcome.outcome.complete(value);
    }
    return value;
  }

  private boolean shouldStore(Object value) {
    if (value == null && !config.cacheNulls) {
      return false;
    }
    return config.cacheIf == null || config.cacheIf.test(value);
  }

  private void storeUnlessInvalidated(Object key, Object stored, Flight mine) {
    if (mine.invalidated) {
      return;
    }
    store.put(key, stored);
    // An invalidation that raced with the put has already removed the key or will see the
    // value; checking again after the put closes the window where it ran in between.
    if (mine.invalidated) {
      store.remove(key);
    }
  }

  /** The value a stored form stands for; rethrows a stored failure. */
  Object unwrap(Object stored) {
    if (stored instanceof StoredFailure f) {
      throw Sneaky.rethrow(f.failure());
    }
    return stored == NullValue.INSTANCE ? null : stored;
  }

  /** The cached value, or null when absent or expired; counts a hit or a miss. */
  public Object getIfPresent(Object key) {
    Object stored = store.get(key);
    if (stored == null) {
      stats.recordMiss();
      fire(CacheEvent.Type.MISS, key, null, 0, null);
      return null;
    }
    recordHit(key);
    return stored instanceof StoredFailure ? null : unwrapNull(stored);
  }

  /** Stores {@code value} (null allowed when nulls are cached), replacing any previous value. */
  public void put(Object key, Object value) {
    Flight running = flights.get(key);
    if (running != null) {
      // The explicit value is newer than whatever the running load computes.
      running.invalidated = true;
    }
    if (value == null && !config.cacheNulls) {
      store.remove(key);
      return;
    }
    store.put(key, value == null ? NullValue.INSTANCE : value);
  }

  /** Drops the entry for {@code key}; returns whether one was present. */
  public boolean invalidate(Object key) {
    Flight running = flights.get(key);
    if (running != null) {
      running.invalidated = true;
    }
    boolean present = store.remove(key) != null;
    if (tiers != null) {
      tiers.remove(key);
    }
    return present;
  }

  /** Drops every entry; loads in flight will not store their results. */
  public void invalidateAll() {
    for (Flight f : flights.values()) {
      f.invalidated = true;
    }
    store.clear();
    if (tiers != null) {
      tiers.removeAll();
    }
  }

  /** The tiers below memory, or null for a memory-only cache. */
  public TierAccess tiers() {
    return tiers;
  }

  /** Drops every entry and resets the counters. */
  public void clear() {
    invalidateAll();
    stats.reset();
  }

  /** Python-style counters. */
  public CacheInfo info() {
    long bound = config.unbounded() ? CacheInfo.UNBOUNDED
        : config.maximumWeight() >= 0 ? config.maximumWeight() : config.effectiveMaximumSize();
    return new CacheInfo(stats.hits(), stats.misses(), bound, store.size());
  }

  /** Full statistics. */
  public CacheStats stats() {
    return stats.snapshot(store.size(), store.weightedSize());
  }

  /** Number of entries held. */
  public long size() {
    return store.size();
  }

  /** Runs pending maintenance (buffered accesses, expired entries) now. */
  public void cleanUp() {
    store.cleanUp();
  }

  private void recordHit(Object key) {
    stats.recordHit();
    if (listeners.length != 0) {
      fire(CacheEvent.Type.HIT, key, null, 0, null);
    }
  }

  private void onRemoval(Object key, Object value, RemovalCause cause) {
    stats.recordRemoval(cause);
    if (listeners.length != 0) {
      fire(cause.wasEvicted() ? CacheEvent.Type.EVICTION : CacheEvent.Type.INVALIDATION,
          key, cause, 0, null);
    }
  }

  private void fire(CacheEvent.Type type, Object key, RemovalCause cause, long nanos,
      Throwable failure) {
    if (listeners.length == 0) {
      return;
    }
    CacheEvent event = new CacheEvent(type, name, key, cause, nanos, failure);
    for (CacheListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException ignored) {
        // A listener must never break the caller's call (documented on CacheListener).
      }
    }
  }

  @Override
  public String toString() {
    return "Cache[" + name + ": " + config.describe() + ", size=" + store.size() + "]";
  }
}
