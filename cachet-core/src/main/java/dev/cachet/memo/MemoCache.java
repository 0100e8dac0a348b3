package dev.cachet.memo;

import dev.cachet.CacheInfo;
import dev.cachet.Memoized;
import dev.cachet.Ticker;
import dev.cachet.key.KeyDigest;
import dev.cachet.memory.MemoryStore;
import dev.cachet.memory.MemoryStores;
import dev.cachet.memory.StoreConfig;
import dev.cachet.stats.CacheEvent;
import dev.cachet.stats.CacheListener;
import dev.cachet.stats.CacheStats;
import dev.cachet.stats.RemovalCause;
import dev.cachet.stats.StatsCounter;
import dev.cachet.tier.FleetFlight;
import dev.cachet.tier.Invalidation;
import dev.cachet.tier.TierAccess;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadLocalRandom;

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
  /**
   * Memory keys by digest, kept only when another process may invalidate entries by digest (a
   * shared tier with a bus): the one way to find the structural key a remote invalidation means.
   */
  private final Map<String, Object> keysByDigest;
  /**
   * The loads in flight by digest, kept with {@link #keysByDigest}: a key this process is loading
   * for the first time (or again, after it left memory) is not in that index yet, and a remote
   * invalidation of it must still keep the load's result out of memory and the tiers.
   */
  private final Map<String, Flight> flightsByDigest;
  /** Whether values are stored {@link Stamped} (for early refresh or stale-while-revalidate). */
  private final boolean stamping;
  /** expireAfterWrite in nanos when stamping. */
  private final long ttlNanos;
  /** Keys whose background refresh is queued or running, so each is refreshed once at a time. */
  private final Set<Object> refreshing = ConcurrentHashMap.newKeySet();

  /** Creates the memory-only cache {@code name} with {@code config}. */
  public MemoCache(String name, CacheConfig config) {
    this(name, config, null);
  }

  /** Creates the cache {@code name} with {@code config} over {@code tiers} (null for none). */
  public MemoCache(String name, CacheConfig config, TierAccess tiers) {
    this.tiers = tiers;
    this.keysByDigest = tiers != null && coherent(tiers) ? new ConcurrentHashMap<>() : null;
    this.flightsByDigest = keysByDigest != null ? new ConcurrentHashMap<>() : null;
    this.stamping = config.staleWhileRevalidate != null || config.earlyRefreshBeta > 0;
    if (stamping && config.expireAfterWrite == null) {
      throw new IllegalArgumentException("Cache '" + name + "': "
          + (config.staleWhileRevalidate != null ? "staleWhileRevalidate" : "earlyRefresh")
          + " refreshes entries before or after they expire, so it needs expireAfterWrite;"
          + " set .expireAfterWrite(...) on the cache");
    }
    this.ttlNanos = stamping ? nanos(config.expireAfterWrite) : 0;
    this.name = name;
    this.config = config;
    this.listeners = config.listeners.toArray(CacheListener[]::new);
    this.ticker = config.ticker;
    this.store = MemoryStores.create(storeConfig(config));
  }

  private static boolean coherent(TierAccess tiers) {
    return tiers.coherent();
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
    // Stale entries are served during the window, so memory keeps them that much longer.
    Duration memoryTtl = c.expireAfterWrite == null || c.staleWhileRevalidate == null
        ? c.expireAfterWrite : c.expireAfterWrite.plus(c.staleWhileRevalidate);
    return new StoreConfig(c.policy, c.effectiveMaximumSize(), c.maximumWeight(), weigher,
        memoryTtl == null ? StoreConfig.UNSET : nanos(memoryTtl),
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
    if (stored instanceof Stamped s) {
      stored = s.stored();
    }
    return stored == NullValue.INSTANCE ? null : stored;
  }

  /** The form to store a value (or NullValue) in, stamped when this cache refreshes. */
  private Object stamp(Object stored, long computeNanos) {
    return stamping && !(stored instanceof StoredFailure)
        ? new Stamped(stored, ticker.read(), computeNanos) : stored;
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
    String watchedDigest = null;
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
      if (tiers == null) {
        stats.recordMiss();
        fire(CacheEvent.Type.MISS, key, null, 0, null);
        return load(key, null, loader, mine, mine);
      }
      String digest = KeyDigest.sha256Hex(key);
      if (flightsByDigest != null) {
        flightsByDigest.put(digest, mine);
        watchedDigest = digest;
      }
      Object found = fromTiers(key, digest, mine);
      if (found != MISSING) {
        return found;
      }
      FleetFlight.Lease lease = null;
      if (config.fleetWait != null && tiers.fleetFlight().isPresent()) {
        FleetFlight fleet = tiers.fleetFlight().get();
        lease = fleet.tryLead(tiers.namespace(), digest);
        if (lease == null) {
          // Another process is computing it: wait for its result rather than compute it again,
          // but only so long; past the bound, computing here is better than waiting more.
          fleet.awaitRelease(tiers.namespace(), digest, config.fleetWait);
          found = fromTiers(key, digest, mine);
          if (found != MISSING) {
            return found;
          }
        }
      }
      try {
        stats.recordMiss();
        fire(CacheEvent.Type.MISS, key, null, 0, null);
        return load(key, digest, loader, mine, mine);
      } finally {
        if (lease != null) {
          lease.close();
        }
      }
    } finally {
      flights.remove(key, mine);
      if (watchedDigest != null) {
        flightsByDigest.remove(watchedDigest, mine);
      }
      if (!mine.outcome.isDone()) {
        // Only reached if Cachet itself failed; waiters must not hang on a flight nobody runs.
        mine.outcome.completeExceptionally(new IllegalStateException(
            "the load of " + key + " in cache '" + name + "' ended without a result"));
      }
    }
  }

  private static final Object MISSING = new Object();

  /** The value from a tier below memory (promoted into memory), or {@link #MISSING}. */
  private Object fromTiers(Object key, String digest, Flight mine) {
    TierAccess.Found found = tiers.lookup(key, digest);
    if (found == null) {
      return MISSING;
    }
    Object value = found.value();
    if (shouldStore(value) && !mine.invalidated) {
      indexDigest(digest, key);
      store.put(key, stamp(value == null ? NullValue.INSTANCE : value, 0));
    }
    recordHit(key);
    mine.outcome.complete(value);
    return value;
  }

  private void indexDigest(String digest, Object key) {
    if (keysByDigest != null) {
      keysByDigest.put(digest, key);
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
    return load(key, tiers == null ? null : KeyDigest.sha256Hex(key), loader, running,
        new Flight());
  }

  /**
   * Runs the loader and stores its result as the settings allow, unless {@code watched} was
   * invalidated meanwhile; completes {@code outcome} for the callers waiting on it.
   */
  private Object load(Object key, String digest, Loader loader, Flight watched, Flight outcome) {
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
        if (digest != null) {
          indexDigest(digest, key);
        }
        storeUnlessInvalidated(key, stamp(value == null ? NullValue.INSTANCE : value, took),
            watched);
        if (tiers != null && !watched.invalidated) {
          tiers.write(digest, value);
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
    return unwrapNull(stored);
  }

  /**
   * The value of a hit on a refreshing cache ({@code stored} came from {@link #probe}): starts a
   * background refresh when the entry is past its lifetime (stale-while-revalidate) or wins the
   * XFetch draw, which grows likelier as expiry nears and the computation is slower, so a
   * popular key is recomputed once before it expires instead of by every caller after.
   */
  Object serve(Object key, Object stored, Loader loader) {
    if (stored instanceof Stamped s) {
      long now = ticker.read();
      long expiresAt = s.writtenNanos() + ttlNanos;
      boolean stale = now - expiresAt >= 0;
      boolean early = !stale && config.earlyRefreshBeta > 0 && s.computeNanos() > 0
          && now - (long) (s.computeNanos() * config.earlyRefreshBeta
              // 1 - U lies in (0, 1]: the log stays finite (at most ~37 computations early).
              * Math.log(1 - ThreadLocalRandom.current().nextDouble())) - expiresAt >= 0;
      if (stale || early) {
        refreshInBackground(key, loader, s);
      }
    }
    return unwrap(stored);
  }

  private void refreshInBackground(Object key, Loader loader, Stamped seen) {
    if (!refreshing.add(key)) {
      return;
    }
    try {
      ForkJoinPool.commonPool().execute(() -> {
        // Created on the refreshing thread: a flight's owner must be the thread running it.
        Flight mine = new Flight();
        try {
          if (flights.putIfAbsent(key, mine) != null) {
            return;
          }
          // A caller may have read the old entry just before the last refresh stored its
          // value and ended: that refresh already replaced what this caller saw.
          Object current = store.peek(key);
          if (current instanceof Stamped now && now.writtenNanos() != seen.writtenNanos()) {
            mine.outcome.complete(unwrapNull(now)); // failures are never stamped
            return;
          }
          load(key, tiers == null ? null : KeyDigest.sha256Hex(key), loader, mine, mine);
        } catch (Throwable failure) {
          // The stale value keeps being served until its window ends; the failure was counted
          // and reported to listeners by load().
        } finally {
          flights.remove(key, mine);
          if (!mine.outcome.isDone()) {
            mine.outcome.completeExceptionally(new IllegalStateException(
                "the refresh of " + key + " in cache '" + name + "' ended without a result"));
          }
          refreshing.remove(key);
        }
      });
    } catch (RuntimeException rejected) {
      refreshing.remove(key);
    }
  }

  /** Whether hits must go through {@link #serve} (the cache refreshes entries). */
  boolean refreshes() {
    return stamping;
  }

  /**
   * The cached value, or null when absent or expired; counts a hit or a miss. Looks in the tiers
   * below memory too, promoting what it finds.
   */
  public Object getIfPresent(Object key) {
    Object stored = store.get(key);
    if (stored == null && tiers != null) {
      String digest = KeyDigest.sha256Hex(key);
      TierAccess.Found found = tiers.lookup(key, digest);
      if (found != null) {
        Object value = found.value();
        indexDigest(digest, key);
        store.put(key, stamp(value == null ? NullValue.INSTANCE : value, 0));
        recordHit(key);
        return value;
      }
    }
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
      // The null replaces the old value, so no tier may keep serving that one.
      store.remove(key);
      if (tiers != null) {
        tiers.remove(KeyDigest.sha256Hex(key), "put of a null result, which is not cached");
      }
      return;
    }
    store.put(key, stamp(value == null ? NullValue.INSTANCE : value, 0));
    if (tiers != null) {
      String digest = KeyDigest.sha256Hex(key);
      indexDigest(digest, key);
      tiers.overwrite(digest, value);
    }
  }

  /** Drops the entry for {@code key}; returns whether one was present. */
  public boolean invalidate(Object key) {
    Flight running = flights.get(key);
    if (running != null) {
      running.invalidated = true;
    }
    boolean present = store.remove(key) != null;
    if (tiers != null) {
      String digest = KeyDigest.sha256Hex(key);
      if (keysByDigest != null) {
        keysByDigest.remove(digest);
      }
      tiers.remove(digest, "invalidate");
    }
    return present;
  }

  /** Drops every entry; loads in flight will not store their results. */
  public void invalidateAll() {
    invalidateAll("invalidateAll");
  }

  /** Drops every entry, here and in every tier, for {@code reason} (recorded in the audit). */
  public void invalidateAll(String reason) {
    dropMemory();
    if (tiers != null) {
      tiers.removeAll(reason);
    }
  }

  /** Drops every entry from memory only (the caller handles the tiers). */
  public void invalidateLocalMemory() {
    dropMemory();
  }

  private void dropMemory() {
    for (Flight f : flights.values()) {
      f.invalidated = true;
    }
    store.clear();
    if (keysByDigest != null) {
      keysByDigest.clear();
    }
  }

  /**
   * Applies another process's invalidation to this cache's memory, without telling anyone: the
   * other process already removed it from the shared tier, and the caller handles this host's
   * local stores.
   */
  public void applyRemote(Invalidation invalidation) {
    switch (invalidation.scope()) {
      case KEY -> {
        Flight loading = flightsByDigest == null ? null
            : flightsByDigest.get(invalidation.digest());
        if (loading != null) {
          // A load that started before this invalidation computed from older state.
          loading.invalidated = true;
        }
        Object key = keysByDigest == null ? null : keysByDigest.remove(invalidation.digest());
        if (key != null) {
          Flight running = flights.get(key);
          if (running != null) {
            running.invalidated = true;
          }
          store.remove(key);
        }
      }
      case NAMESPACE, TAG, ALL -> dropMemory();
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
    CacheStats memory = stats.snapshot(store.size(), store.weightedSize());
    if (tiers == null) {
      return memory;
    }
    Map<String, Long> byTier = new LinkedHashMap<>();
    long[] lower = tiers.hitsByTier();
    long lowerSum = 0;
    for (long h : lower) {
      lowerSum += h;
    }
    byTier.put("memory", Math.max(0, memory.hits() - lowerSum));
    for (int i = 0; i < lower.length; i++) {
      byTier.merge(tiers.stores().get(i).describe(), lower[i], Long::sum);
    }
    return memory.withHitsByTier(byTier);
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
    if (keysByDigest != null && cause.wasEvicted()) {
      keysByDigest.remove(KeyDigest.sha256Hex(key), key);
    }
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
