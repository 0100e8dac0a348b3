package dev.cachet.jcache;

import dev.cachet.memory.MemoryStore;
import dev.cachet.memory.MemoryStores;
import dev.cachet.memory.StoreConfig;
import dev.cachet.stats.RemovalCause;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.event.EventType;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * A JSR-107 cache whose entries live in Cachet's memory engine (a {@link MemoryStore} with the
 * configured policy and bound) and, when configured, in the tiers below it (disk, Redis).
 *
 * <p>Every operation on a key runs under that key's lock (one of a fixed set of striped locks),
 * so that compound operations ({@code putIfAbsent}, {@code replace}, {@code invoke}...) are
 * atomic, the cache writer sees the writes of a key in order, and listeners receive a key's
 * events in the order they happened. Synchronous listeners run before the operation returns,
 * on the caller's thread; asynchronous ones on the manager's executor, in order per listener.
 *
 * <p>Expiry follows the cache's {@link ExpiryPolicy} in wall-clock milliseconds: an entry whose
 * time has passed is never returned, and is dropped (with an expired event) when an operation
 * touches it, or evicted by the memory bound before. Statistics count as the reference
 * implementation does, and are kept only while enabled.
 *
 * <p>Obtain one from a {@link CachetCacheManager}; {@code unwrap(CachetCache.class)} reaches this
 * class from a {@link Cache}.
 */
public final class CachetCache<K, V> implements Cache<K, V> {
  private static final System.Logger LOG = System.getLogger(CachetCache.class.getName());
  private static final int STRIPES = 256;
  /** Every this many writes, expired entries nobody touched are looked for (a power of two). */
  static final int SWEEP_EVERY = 4096;

  private final CachetCacheManager manager;
  private final String name;
  private final CachetConfiguration<K, V> configuration;
  private final MemoryStore store;
  private final Copier copier;
  private final CacheLoader<K, V> loader;
  private final CacheWriter<K, V> writer;
  private final ExpiryPolicy expiry;
  private final TierLink tiers;
  /** Memory's keys by their digest in the tiers, for other processes' invalidations; or null. */
  private final java.util.concurrent.ConcurrentHashMap<String, Object> byDigest;
  private final Executor executor;
  private final CopyOnWriteArrayList<ListenerRegistration<K, V>> listeners =
      new CopyOnWriteArrayList<>();
  private final JCacheStatistics statistics;
  private final java.time.Clock clock;
  private final JCacheMXBean mxBean;
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
  private final java.util.concurrent.atomic.AtomicLong writes =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean sweeping =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean closed;

  @SuppressWarnings("unchecked")
  CachetCache(CachetCacheManager manager, String name, CachetConfiguration<K, V> configuration,
      TierLink tiers, Executor executor) {
    this.manager = manager;
    this.name = name;
    this.configuration = configuration;
    this.tiers = tiers;
    this.byDigest = tiers != null && tiers.coherent()
        ? new java.util.concurrent.ConcurrentHashMap<>() : null;
    this.executor = executor;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
    this.copier = configuration.isStoreByValue()
        ? Copier.byValue(manager.getClassLoader(), Copier.filter(configuration.getSerialFilter()))
        : Copier.byReference();
    this.statistics = new JCacheStatistics();
    this.clock = configuration.getClock();
    long maximumSize = configuration.getMaximumSize();
    this.store = MemoryStores.create(new StoreConfig(configuration.getPolicy(),
        maximumSize == CachetConfiguration.UNBOUNDED ? StoreConfig.UNSET : maximumSize,
        StoreConfig.UNSET, null, StoreConfig.UNSET, StoreConfig.UNSET, null,
        dev.cachet.Ticker.system(), this::onRemoval));
    this.loader = configuration.getCacheLoaderFactory() == null ? null
        : (CacheLoader<K, V>) configuration.getCacheLoaderFactory().create();
    this.writer = configuration.getCacheWriterFactory() == null ? null
        : (CacheWriter<K, V>) configuration.getCacheWriterFactory().create();
    this.expiry = configuration.getExpiryPolicyFactory().create();
    for (CacheEntryListenerConfiguration<K, V> listener
        : configuration.getCacheEntryListenerConfigurations()) {
      listeners.add(new ListenerRegistration<>(listener, executor));
    }
    this.mxBean = new JCacheMXBean(this);
    if (configuration.isManagementEnabled()) {
      setManagementEnabled(true);
    }
    if (configuration.isStatisticsEnabled()) {
      setStatisticsEnabled(true);
    }
  }

  private void onRemoval(Object key, Object value, RemovalCause cause) {
    if (cause == RemovalCause.SIZE) {
      statistics.evictions(1);
    }
    if (byDigest != null && cause != RemovalCause.REPLACED && value instanceof Expirable e
        && e.digest != null && store.peek(key) == null) {
      byDigest.remove(e.digest, key);
    }
  }

  /**
   * Another process changed or removed the entry with this digest in a shared tier: drop the
   * memory copy (no event: the entry did not change here), so the next read gets the new one.
   */
  void invalidateRemote(String digest) {
    if (byDigest == null) {
      return;
    }
    Object key = byDigest.get(digest);
    if (key == null) {
      return;
    }
    ReentrantLock lock = lockOf(key);
    lock.lock();
    try {
      store.remove(key);
      byDigest.remove(digest, key);
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Identity, configuration, lifecycle

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  /**
   * A copy of the configuration, as a {@link CachetConfiguration} (so also a
   * {@code MutableConfiguration}, {@code CompleteConfiguration} and {@code Configuration}):
   * changing it does not change the cache.
   */
  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    if (clazz.isInstance(configuration)) {
      synchronized (configuration) {
        return clazz.cast(new CachetConfiguration<>(configuration));
      }
    }
    throw new IllegalArgumentException("A Cachet cache's configuration is a "
        + CachetConfiguration.class.getName() + ", which is not a " + clazz.getName());
  }

  /** The configuration itself, for the MBean: not to be changed. */
  CompleteConfiguration<K, V> liveConfiguration() {
    return configuration;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes the cache: it no longer serves requests nor belongs to its manager; its memory is
   * released, while entries in a disk or Redis tier stay there for the next process or manager
   * (destroy the cache through its manager to drop them). Closes a loader, writer, expiry policy
   * and listeners that are {@link Closeable}.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    manager.release(name, this);
    try {
      setStatisticsEnabled(false);
      setManagementEnabled(false);
    } catch (CacheException e) {
      LOG.log(System.Logger.Level.WARNING, "cache " + name + ": " + e.getMessage());
    }
    closeQuietly(loader);
    closeQuietly(writer);
    closeQuietly(expiry);
    for (ListenerRegistration<K, V> registration : listeners) {
      registration.close();
    }
    store.clear();
  }

  private void closeQuietly(Object o) {
    if (o instanceof Closeable c) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "cache " + name + ": could not close " + o, e);
      }
    }
  }

  /** Drops every entry from memory and the tiers, then closes: what {@code destroyCache} does. */
  void destroy() {
    if (tiers != null) {
      tiers.clear();
    }
    close();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Cache " + name + " is closed");
    }
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isAssignableFrom(getClass())) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("A Cachet cache unwraps to " + getClass().getName()
        + ", not " + clazz.getName());
  }

  /** The number of entries held in memory, possibly including expired ones not yet dropped. */
  public long size() {
    return store.size();
  }

  /** The statistics MBean (also registered in the platform MBean server when enabled). */
  public javax.cache.management.CacheStatisticsMXBean statistics() {
    return statistics;
  }

  /** The tiers' namespace of this cache, or null without tiers. */
  String tierNamespace() {
    return tiers == null ? null : tiers.namespace();
  }

  /** Drops memory's entries without events or writer: another process or a tag invalidated them. */
  void invalidateMemory() {
    lockAll();
    try {
      store.clear();
    } finally {
      unlockAll();
    }
  }

  void setStatisticsEnabled(boolean enabled) {
    if (enabled) {
      Management.register(this, Management.Kind.CacheStatistics, statistics);
    } else {
      Management.unregister(this, Management.Kind.CacheStatistics);
    }
    statistics.enabled(enabled);
    synchronized (configuration) {
      configuration.setStatisticsEnabled(enabled);
    }
  }

  void setManagementEnabled(boolean enabled) {
    if (enabled) {
      Management.register(this, Management.Kind.CacheConfiguration, mxBean);
    } else {
      Management.unregister(this, Management.Kind.CacheConfiguration);
    }
    synchronized (configuration) {
      configuration.setManagementEnabled(enabled);
    }
  }

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    ensureOpen();
    Objects.requireNonNull(listener, "registerCacheEntryListener(null)");
    synchronized (configuration) {
      // Throws IllegalArgumentException for a configuration registered already.
      configuration.addCacheEntryListenerConfiguration(listener);
    }
    listeners.add(new ListenerRegistration<>(listener, executor));
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
    ensureOpen();
    Objects.requireNonNull(listener, "deregisterCacheEntryListener(null)");
    for (ListenerRegistration<K, V> registration : listeners) {
      if (listener.equals(registration.configuration)) {
        listeners.remove(registration);
        synchronized (configuration) {
          configuration.removeCacheEntryListenerConfiguration(listener);
        }
        registration.close();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Locks, entries, expiry, events, loader and writer

  private static int stripe(Object key) {
    int h = key.hashCode();
    h ^= h >>> 16;
    h *= 0x45d9f3b;
    h ^= h >>> 16;
    return h & (STRIPES - 1);
  }

  private ReentrantLock lockOf(Object key) {
    return locks[stripe(key)];
  }

  /** Locks the stripes of {@code keys} in ascending order (no deadlock between bulk calls). */
  private int[] lockKeys(Collection<?> keys) {
    boolean[] needed = new boolean[STRIPES];
    for (Object key : keys) {
      needed[stripe(key)] = true;
    }
    int[] taken = new int[STRIPES];
    int n = 0;
    for (int i = 0; i < STRIPES; i++) {
      if (needed[i]) {
        locks[i].lock();
        taken[n++] = i;
      }
    }
    return Arrays.copyOf(taken, n);
  }

  private void unlock(int[] stripes) {
    for (int i = stripes.length - 1; i >= 0; i--) {
      locks[stripes[i]].unlock();
    }
  }

  private void lockAll() {
    for (ReentrantLock lock : locks) {
      lock.lock();
    }
  }

  private void unlockAll() {
    for (int i = STRIPES - 1; i >= 0; i--) {
      locks[i].unlock();
    }
  }

  /**
   * The entry of {@code key}, expired or not: from memory, else from a tier (then kept in
   * memory again). Null when absent. Call under the key's lock.
   */
  private Expirable find(Object key, boolean access) {
    Object held = access ? store.get(key) : store.peek(key);
    if (held != null) {
      return (Expirable) held;
    }
    if (tiers == null) {
      return null;
    }
    TierLink.Found found = tiers.read(key);
    if (found == null) {
      return null;
    }
    Expirable entry = new Expirable(copier.storeValue(found.value()), found.expireAtMillis());
    Object storedKey = copier.storeKey(key);
    remember(storedKey, entry, found.digest());
    store.put(storedKey, entry);
    return entry;
  }

  /** Keeps {@code entry} for {@code key}, writing it through to the tiers. */
  private void keep(K key, Expirable entry, V value) {
    Object storedKey = copier.storeKey(key);
    String digest = tiers == null ? null : TierLink.digest(key);
    remember(storedKey, entry, digest);
    store.put(storedKey, entry);
    if ((writes.incrementAndGet() & (SWEEP_EVERY - 1)) == 0) {
      scheduleSweep();
    }
    if (tiers != null) {
      if (entry.expireAtMillis() <= clock.millis()) {
        tiers.removeDigest(digest);
      } else {
        tiers.write(key, digest, value, entry.expireAtMillis());
      }
    }
  }

  private void remember(Object storedKey, Expirable entry, String digest) {
    if (byDigest != null) {
      entry.digest = digest;
      byDigest.put(digest, storedKey);
    }
  }

  /** Drops the entry of {@code key} from memory and the tiers. */
  private void drop(Object key) {
    store.remove(key);
    if (tiers != null) {
      tiers.remove(key);
    }
  }

  @SuppressWarnings("unchecked")
  private V valueOf(Expirable entry) {
    return (V) copier.readValue(entry.stored);
  }

  /** Drops an expired entry and records its expired event. */
  private void expire(K key, V value, List<CachetEntryEvent<K, V>> events) {
    drop(key);
    events.add(event(EventType.EXPIRED, key, value, value));
  }

  private CachetEntryEvent<K, V> event(EventType type, K key, V value, V oldValue) {
    return new CachetEntryEvent<>(this, type, key, value, oldValue, true);
  }

  private CachetEntryEvent<K, V> created(K key, V value) {
    return new CachetEntryEvent<>(this, EventType.CREATED, key, value, null, false);
  }

  private void dispatch(List<CachetEntryEvent<K, V>> events) {
    if (events.isEmpty()) {
      return;
    }
    for (ListenerRegistration<K, V> registration : listeners) {
      registration.deliver(events);
    }
  }

  private static long adjusted(Duration duration, long now) {
    if (duration.isEternal()) {
      return Expirable.ETERNAL;
    }
    long millis = duration.getTimeUnit().toMillis(duration.getDurationAmount());
    long at = now + millis;
    return at < now ? Expirable.ETERNAL : at;
  }

  /** When a created entry expires; a policy that fails or answers null means never. */
  private long creationExpiry(long now) {
    Duration duration;
    try {
      duration = expiry.getExpiryForCreation();
    } catch (Throwable t) {
      duration = Duration.ETERNAL;
    }
    return adjusted(duration == null ? Duration.ETERNAL : duration, now);
  }

  /** When an entry expires after an update or access: null (or a failure) keeps {@code current}. */
  private static long laterExpiry(Supplier<Duration> policy, long current, long now) {
    try {
      Duration duration = policy.get();
      return duration == null ? current : adjusted(duration, now);
    } catch (Throwable t) {
      return current;
    }
  }

  private long updateExpiry(Expirable entry, long now) {
    return laterExpiry(expiry::getExpiryForUpdate, entry.expireAtMillis(), now);
  }

  private void accessed(Expirable entry, long now) {
    long at = laterExpiry(expiry::getExpiryForAccess, entry.expireAtMillis(), now);
    if (at != entry.expireAtMillis()) {
      entry.expireAt(at);
    }
  }

  static <K, V> V load(CacheLoader<K, V> loader, K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("Exception in CacheLoader: " + e, e);
    }
  }

  private boolean writeThrough() {
    return configuration.isWriteThrough() && writer != null;
  }

  private void write(K key, V value) {
    if (writeThrough()) {
      try {
        writer.write(new CachetEntry<>(key, value));
      } catch (CacheWriterException e) {
        throw e;
      } catch (Exception e) {
        throw new CacheWriterException("Exception in CacheWriter: " + e, e);
      }
    }
  }

  private void delete(K key) {
    if (writeThrough()) {
      try {
        writer.delete(key);
      } catch (CacheWriterException e) {
        throw e;
      } catch (Exception e) {
        throw new CacheWriterException("Exception in CacheWriter: " + e, e);
      }
    }
  }

  private void checkTypes(K key, V value) {
    Class<?> keyType = configuration.getKeyType();
    Class<?> valueType = configuration.getValueType();
    if (keyType != Object.class && !keyType.isInstance(key)) {
      throw new ClassCastException("Key " + key + " is a " + key.getClass().getName()
          + ", not the configured key type " + keyType.getName());
    }
    if (valueType != Object.class && !valueType.isInstance(value)) {
      throw new ClassCastException("Value " + value + " is a " + value.getClass().getName()
          + ", not the configured value type " + valueType.getName());
    }
  }

  private static <T> T nonNull(T value, String what) {
    if (value == null) {
      throw new NullPointerException(what + " must not be null");
    }
    return value;
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  @Override
  public V get(K key) {
    ensureOpen();
    nonNull(key, "key");
    List<CachetEntryEvent<K, V>> events = new ArrayList<>(1);
    ReentrantLock lock = lockOf(key);
    lock.lock();
    try {
      V value = getValue(key, events);
      dispatch(events);
      return value;
    } finally {
      lock.unlock();
    }
  }

  /** A read, with read-through: the body of get and getAll. Under the key's lock. */
  private V getValue(K key, List<CachetEntryEvent<K, V>> events) {
    long now = clock.millis();
    long start = statistics.start();
    try {
      Expirable entry = find(key, true);
      if (entry != null && entry.isExpiredAt(now)) {
        expire(key, valueOf(entry), events);
        entry = null;
      }
      if (entry != null) {
        V value = valueOf(entry);
        accessed(entry, now);
        statistics.hits(1);
        return value;
      }
      statistics.misses(1);
      if (!configuration.isReadThrough() || loader == null) {
        return null;
      }
      V value = load(loader, key);
      if (value == null) {
        return null;
      }
      long expireAt = creationExpiry(now);
      if (expireAt <= now) {
        return null;
      }
      keep(key, new Expirable(copier.storeValue(value), expireAt), value);
      // A load is not a put in the statistics.
      events.add(created(key, value));
      return value;
    } finally {
      statistics.getTime(start);
    }
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    ensureOpen();
    nonNull(keys, "keys");
    for (K key : keys) {
      nonNull(key, "a key of getAll");
    }
    Map<K, V> out = new LinkedHashMap<>(Math.max(4, keys.size() * 2));
    List<CachetEntryEvent<K, V>> events = new ArrayList<>();
    for (K key : keys) {
      ReentrantLock lock = lockOf(key);
      lock.lock();
      try {
        V value = getValue(key, events);
        if (value != null) {
          out.put(key, value);
        }
        dispatch(events);
        events.clear();
      } finally {
        lock.unlock();
      }
    }
    return out;
  }

  @Override
  public boolean containsKey(K key) {
    ensureOpen();
    nonNull(key, "key");
    ReentrantLock lock = lockOf(key);
    lock.lock();
    try {
      Expirable entry = find(key, false);
      return entry != null && !entry.isExpiredAt(clock.millis());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues,
      CompletionListener completionListener) {
    ensureOpen();
    nonNull(keys, "keys");
    for (K key : keys) {
      nonNull(key, "a key of loadAll");
    }
    if (loader == null) {
      if (completionListener != null) {
        completionListener.onCompletion();
      }
      return;
    }
    Set<K> requested = new HashSet<>(keys);
    executor.execute(() -> {
      try {
        List<K> toLoad = new ArrayList<>();
        for (K key : requested) {
          if (replaceExistingValues || !containsKey(key)) {
            toLoad.add(key);
          }
        }
        Map<? extends K, ? extends V> loaded;
        try {
          loaded = loader.loadAll(toLoad);
        } catch (CacheLoaderException e) {
          throw e;
        } catch (Exception e) {
          throw new CacheLoaderException("Exception in CacheLoader: " + e, e);
        }
        Map<K, V> found = new HashMap<>();
        if (loaded != null) {
          for (K key : toLoad) {
            V value = loaded.get(key);
            if (value != null) {
              found.put(key, value);
            }
          }
        }
        putAll(found, replaceExistingValues, false);
        if (completionListener != null) {
          completionListener.onCompletion();
        }
      } catch (Exception e) {
        if (completionListener != null) {
          completionListener.onException(e);
        } else {
          LOG.log(System.Logger.Level.WARNING, "cache " + name + ": loadAll failed", e);
        }
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Writes

  @Override
  public void put(K key, V value) {
    long start = statistics.start();
    ensureOpen();
    nonNull(key, "key");
    nonNull(value, "value");
    checkTypes(key, value);
    int puts = 0;
    ReentrantLock lock = lockOf(key);
    lock.lock();
    try {
      List<CachetEntryEvent<K, V>> events = new ArrayList<>(1);
      long now = clock.millis();
      Expirable entry = find(key, false);
      boolean expired = entry != null && entry.isExpiredAt(now);
      if (expired) {
        expire(key, valueOf(entry), events);
      }
      if (entry == null || expired) {
        long expireAt = creationExpiry(now);
        write(key, value);
        if (expireAt <= now) {
          expire(key, value, events);
        } else {
          keep(key, new Expirable(copier.storeValue(value), expireAt), value);
          puts++;
          events.add(created(key, value));
        }
      } else {
        V old = valueOf(entry);
        write(key, value);
        keep(key, new Expirable(copier.storeValue(value), updateExpiry(entry, now)), value);
        puts++;
        events.add(event(EventType.UPDATED, key, value, old));
      }
      dispatch(events);
    } finally {
      lock.unlock();
    }
    if (puts > 0) {
      statistics.puts(puts);
      statistics.putTime(start);
    }
  }

  @Override
  public V getAndPut(K key, V value) {
    ensureOpen();
    nonNull(key, "key");
    nonNull(value, "value");
    long start = statistics.start();
    long now = clock.millis();
    V result;
    int puts = 0;
    ReentrantLock lock = lockOf(key);
    lock.lock();
    try {
      List<CachetEntryEvent<K, V>> events = new ArrayList<>(1);
      Expirable entry = find(key, false);
      boolean expired = entry != null && entry.isExpiredAt(now);
      if (entry == null || expired) {
        result = null;
        write(key, value);
        if (expired) {
          expire(key, valueOf(entry), events);
        }
        long expireAt = creationExpiry(now);
        if (expireAt <= now) {
          expire(key, value, events);
        } else {
          keep(key, new Expirable(copier.storeValue(value), expireAt), value);
          puts++;
          events.add(created(key, value));
        }
      } else {
        V old = valueOf(entry);
        write(key, value);
        keep(key, new Expirable(copier.storeValue(value), updateExpiry(entry, now)), value);
        puts++;
        result = old;
        events.add(event(EventType.UPDATED, key, value, old));
      }
      dispatch(events);
    } finally {
      lock.unlock();
    }
    if (result == null) {
      statistics.misses(1);
    } else {
      statistics.hits(1);
    }
    statistics.getTime(start);
    if (puts > 0) {
      statistics.puts(puts);
      statistics.putTime(start);
    }
    return result;
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    putAll(map, true, true);
  }

  /**
   * Puts every entry of {@code map}; with {@code useWriteThrough} false (entries that
   * {@code loadAll} loaded) the writer is not called and the puts are not counted.
   */
  private void putAll(Map<? extends K, ? extends V> map, boolean replaceExisting,
      boolean useWriteThrough) {
    ensureOpen();
    nonNull(map, "map");
    long start = statistics.start();
    long now = clock.millis();
    Map<K, V> copy = new LinkedHashMap<>();
    for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
      nonNull(e.getKey(), "a key of putAll");
      nonNull(e.getValue(), "the value of key " + e.getKey() + " in putAll");
      copy.put(e.getKey(), e.getValue());
    }
    int puts = 0;
    CacheWriterException failure = null;
    List<CachetEntryEvent<K, V>> events = new ArrayList<>();
    int[] stripes = lockKeys(copy.keySet());
    try {
      Set<K> toPut = new LinkedHashSet<>(copy.keySet());
      if (useWriteThrough && writeThrough()) {
        List<Cache.Entry<? extends K, ? extends V>> toWrite = new ArrayList<>();
        copy.forEach((k, v) -> toWrite.add(new CachetEntry<>(k, v)));
        try {
          writer.writeAll(toWrite);
        } catch (CacheWriterException e) {
          failure = e;
        } catch (Exception e) {
          failure = new CacheWriterException("Exception in CacheWriter: " + e, e);
        }
        // The writer removed what it wrote; what is left was not written, so is not cached.
        for (Cache.Entry<? extends K, ? extends V> e : toWrite) {
          toPut.remove(e.getKey());
        }
      }
      for (K key : toPut) {
        V value = copy.get(key);
        Expirable entry = find(key, false);
        boolean expired = entry != null && entry.isExpiredAt(now);
        if (entry == null || expired) {
          if (expired) {
            expire(key, valueOf(entry), events);
          }
          long expireAt = creationExpiry(now);
          if (expireAt <= now) {
            expire(key, value, events);
          } else {
            keep(key, new Expirable(copier.storeValue(value), expireAt), value);
            events.add(created(key, value));
            if (useWriteThrough) {
              puts++;
            }
          }
        } else if (replaceExisting) {
          V old = valueOf(entry);
          keep(key, new Expirable(copier.storeValue(value), updateExpiry(entry, now)), value);
          if (useWriteThrough) {
            puts++;
          }
          events.add(event(EventType.UPDATED, key, value, old));
        }
      }
      dispatch(events);
    } finally {
      unlock(stripes);
    }
    if (puts > 0) {
      statistics.puts(puts);
      statistics.putTime(start);
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    ensureOpen();
    nonNull(key, "key");
    nonNull(value, "value");
    checkTypes(key, value);
    long start = statistics.start();
    long now = clock.millis();
    boolean result;
    ReentrantLock lock = lockOf(key);
    lock.lock();
    try {
      List<CachetEntryEvent<K, V>> events = new ArrayList<>(1);
      Expirable entry = find(key, false);
      boolean expired = entry != null && entry.isExpiredAt(now);
      if (entry == null || expired) {
        write(key, value);
        if (expired) {
          expire(key, valueOf(entry), events);
        }
        long expireAt = creationExpiry(now);
        if (expireAt <= now) {
          expire(key, value, events);
          result = false;
        } else {
          keep(key, new Expirable(copier.storeValue(value), expireAt), value);
          result = true;
          events.add(created(key, value));
        }
      } else {
        result = false;
      }
      dispatch(events);
    } finally {
      lock.unlock();
    }
    if (result) {
      statistics.puts(1);
      statistics.misses(1);
      statistics.putTime(start);
    } else {
      statistics.hits(1);
    }
    return result;
  }

  @Override
  public boolean remove(K key) {
    ensureOpen();
    nonNull(key, "key");
    long start = statistics.start();
    long now = clock.millis();
    boolean result;
    ReentrantLock lock = lockOf(key);
    lock.lock();
    try {
      delete(key);
      Expirable entry = find(key, false);
      if (entry == null) {
        return false;
      } else if (entry.isExpiredAt(now)) {
        result = false;
      } else {
        drop(key);
        V value = valueOf(entry);
        dispatch(List.of(event(EventType.REMOVED, key, value, value)));
        result = true;
      }
    } finally {
      lock.unlock();
    }
    if (result) {
      statistics.removals(1);
      statistics.removeTime(start);
    }
    return result;
  }

  @Override
  public boolean remove(K key, V oldValue) {
    ensureOpen();
    nonNull(key, "key");
    nonNull(oldValue, "oldValue");
    long now = clock.millis();
    long start = statistics.start();
    boolean hit = false;
    boolean result;
    ReentrantLock lock = lockOf(key);
    lock.lock();
    try {
      Expirable entry = find(key, false);
      if (entry == null || entry.isExpiredAt(now)) {
        result = false;
      } else {
        hit = true;
        if (copier.sameValue(entry.stored, oldValue)) {
          delete(key);
          drop(key);
          dispatch(List.of(event(EventType.REMOVED, key, oldValue, oldValue)));
          result = true;
        } else {
          accessed(entry, now);
          result = false;
        }
      }
    } finally {
      lock.unlock();
    }
    if (result) {
      statistics.removals(1);
      statistics.removeTime(start);
    }
    statistics.getTime(start);
    if (hit) {
      statistics.hits(1);
    } else {
      statistics.misses(1);
    }
    return result;
  }

  @Override
  public V getAndRemove(K key) {
    ensureOpen();
    nonNull(key, "key");
    long now = clock.millis();
    long start = statistics.start();
    V result;
    ReentrantLock lock = lockOf(key);
    lock.lock();
    try {
      delete(key);
      Expirable entry = find(key, false);
      if (entry == null || entry.isExpiredAt(now)) {
        result = null;
      } else {
        drop(key);
        result = valueOf(entry);
        dispatch(List.of(event(EventType.REMOVED, key, result, result)));
      }
    } finally {
      lock.unlock();
    }
    statistics.getTime(start);
    if (result != null) {
      statistics.hits(1);
      statistics.removals(1);
      statistics.removeTime(start);
    } else {
      statistics.misses(1);
    }
    return result;
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    ensureOpen();
    nonNull(key, "key");
    nonNull(oldValue, "oldValue");
    nonNull(newValue, "newValue");
    long now = clock.millis();
    long start = statistics.start();
    boolean hit = false;
    boolean result;
    ReentrantLock lock = lockOf(key);
    lock.lock();
    try {
      Expirable entry = find(key, false);
      if (entry == null || entry.isExpiredAt(now)) {
        result = false;
      } else {
        hit = true;
        if (copier.sameValue(entry.stored, oldValue)) {
          write(key, newValue);
          keep(key, new Expirable(copier.storeValue(newValue), updateExpiry(entry, now)),
              newValue);
          dispatch(List.of(event(EventType.UPDATED, key, newValue, oldValue)));
          result = true;
        } else {
          accessed(entry, now);
          result = false;
        }
      }
    } finally {
      lock.unlock();
    }
    if (result) {
      statistics.puts(1);
      statistics.putTime(start);
    }
    statistics.getTime(start);
    if (hit) {
      statistics.hits(1);
    } else {
      statistics.misses(1);
    }
    return result;
  }

  @Override
  public boolean replace(K key, V value) {
    return replaceValue(key, value) != null;
  }

  @Override
  public V getAndReplace(K key, V value) {
    return replaceValue(key, value);
  }

  /** replace and getAndReplace: the old value, or null when there was none. */
  private V replaceValue(K key, V value) {
    ensureOpen();
    nonNull(key, "key");
    nonNull(value, "value");
    long now = clock.millis();
    long start = statistics.start();
    V result;
    ReentrantLock lock = lockOf(key);
    lock.lock();
    try {
      Expirable entry = find(key, false);
      if (entry == null || entry.isExpiredAt(now)) {
        result = null;
      } else {
        V old = valueOf(entry);
        write(key, value);
        keep(key, new Expirable(copier.storeValue(value), updateExpiry(entry, now)), value);
        dispatch(List.of(event(EventType.UPDATED, key, value, old)));
        result = old;
      }
    } finally {
      lock.unlock();
    }
    statistics.getTime(start);
    if (result != null) {
      statistics.hits(1);
      statistics.puts(1);
      statistics.putTime(start);
    } else {
      statistics.misses(1);
    }
    return result;
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    ensureOpen();
    nonNull(keys, "keys");
    for (K key : keys) {
      nonNull(key, "a key of removeAll");
    }
    long start = statistics.start();
    long now = clock.millis();
    CacheWriterException failure = null;
    Set<K> notDeleted = new LinkedHashSet<>(keys);
    List<CachetEntryEvent<K, V>> events = new ArrayList<>();
    int removed = 0;
    int[] stripes = lockKeys(keys);
    try {
      if (writeThrough()) {
        try {
          writer.deleteAll(notDeleted);
        } catch (CacheWriterException e) {
          failure = e;
        } catch (Exception e) {
          failure = new CacheWriterException("Exception in CacheWriter: " + e, e);
        }
      } else {
        notDeleted.clear();
      }
      // The writer removed what it deleted; only that leaves the cache.
      for (K key : keys) {
        if (notDeleted.contains(key)) {
          continue;
        }
        Expirable entry = find(key, false);
        if (entry == null) {
          continue;
        }
        drop(key);
        removed++;
        V value = valueOf(entry);
        if (entry.isExpiredAt(now)) {
          events.add(event(EventType.EXPIRED, key, value, value));
        } else {
          events.add(event(EventType.REMOVED, key, value, value));
        }
      }
      statistics.removals(removed);
      dispatch(events);
    } finally {
      unlock(stripes);
    }
    if (removed > 0) {
      statistics.removeTime(start);
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public void removeAll() {
    ensureOpen();
    long start = statistics.start();
    long now = clock.millis();
    CacheWriterException failure = null;
    List<CachetEntryEvent<K, V>> events = new ArrayList<>();
    int removed = 0;
    lockAll();
    try {
      List<K> keys = new ArrayList<>();
      for (Object stored : store.keys()) {
        keys.add((K) copier.readKey(stored));
      }
      Set<K> notDeleted = new LinkedHashSet<>();
      if (writeThrough() && !keys.isEmpty()) {
        notDeleted.addAll(keys);
        try {
          writer.deleteAll(notDeleted);
        } catch (CacheWriterException e) {
          failure = e;
        } catch (Exception e) {
          failure = new CacheWriterException("Exception in CacheWriter: " + e, e);
        }
      }
      for (K key : keys) {
        if (notDeleted.contains(key)) {
          continue;
        }
        Object held = store.peek(key);
        if (held == null) {
          continue;
        }
        Expirable entry = (Expirable) held;
        drop(key);
        V value = valueOf(entry);
        if (entry.isExpiredAt(now)) {
          events.add(event(EventType.EXPIRED, key, value, value));
        } else {
          events.add(event(EventType.REMOVED, key, value, value));
          removed++;
        }
      }
      if (tiers != null && failure == null) {
        // Entries evicted from memory but still in a tier go too.
        tiers.clear();
      }
      dispatch(events);
    } finally {
      unlockAll();
    }
    statistics.removals(removed);
    if (removed > 0) {
      statistics.removeTime(start);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Removes every entry, from memory and the tiers, without calling the writer or listeners. */
  @Override
  public void clear() {
    ensureOpen();
    lockAll();
    try {
      store.clear();
      if (tiers != null) {
        tiers.clear();
      }
    } finally {
      unlockAll();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Entry processors

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    ensureOpen();
    nonNull(key, "key");
    nonNull(processor, "entryProcessor");
    long start = statistics.start();
    T result;
    ReentrantLock lock = lockOf(key);
    lock.lock();
    try {
      long now = clock.millis();
      List<CachetEntryEvent<K, V>> events = new ArrayList<>(2);
      Expirable entry = find(key, false);
      boolean expired = entry != null && entry.isExpiredAt(now);
      if (expired) {
        expire(key, valueOf(entry), events);
        entry = null;
      }
      if (entry == null) {
        statistics.misses(1);
      } else {
        statistics.hits(1);
      }
      statistics.getTime(start);
      start = statistics.start();
      ProcessorEntry<K, V> mutable = new ProcessorEntry<>(key, entry, copier,
          configuration.isReadThrough() ? loader : null);
      try {
        result = processor.process(mutable, arguments);
      } catch (CacheException e) {
        throw e;
      } catch (Exception e) {
        throw new EntryProcessorException(e);
      }
      V value = mutable.newValue();
      switch (mutable.operation()) {
        case NONE -> {
        }
        case ACCESS -> accessed(entry, now);
        case CREATE, LOAD -> {
          if (mutable.operation() == ProcessorEntry.Operation.CREATE) {
            write(key, value);
          }
          long expireAt = creationExpiry(now);
          if (expireAt <= now) {
            expire(key, value, events);
          } else {
            keep(key, new Expirable(copier.storeValue(value), expireAt), value);
            events.add(created(key, value));
            if (mutable.operation() == ProcessorEntry.Operation.CREATE) {
              statistics.puts(1);
              statistics.putTime(start);
            }
          }
        }
        case UPDATE -> {
          V old = valueOf(entry);
          write(key, value);
          keep(key, new Expirable(copier.storeValue(value), updateExpiry(entry, now)), value);
          events.add(event(EventType.UPDATED, key, value, old));
          statistics.puts(1);
          statistics.putTime(start);
        }
        case REMOVE -> {
          delete(key);
          if (entry != null) {
            V old = valueOf(entry);
            drop(key);
            events.add(event(EventType.REMOVED, key, old, old));
            statistics.removals(1);
            statistics.removeTime(start);
          }
        }
      }
      dispatch(events);
    } finally {
      lock.unlock();
    }
    return result;
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> processor, Object... arguments) {
    ensureOpen();
    nonNull(keys, "keys");
    nonNull(processor, "entryProcessor");
    for (K key : keys) {
      nonNull(key, "a key of invokeAll");
    }
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keys) {
      try {
        T value = invoke(key, processor, arguments);
        if (value != null) {
          results.put(key, ProcessorResult.of(value));
        }
      } catch (RuntimeException e) {
        results.put(key, ProcessorResult.failed(e));
      }
    }
    return results;
  }

  // ---------------------------------------------------------------------------------------------
  // Iteration

  @Override
  public Iterator<Cache.Entry<K, V>> iterator() {
    ensureOpen();
    return new EntryIterator(store.keys().iterator());
  }

  /**
   * Walks memory's keys (weakly consistent: entries added or removed meanwhile may or may not
   * appear); each entry returned counts as a hit and an access for the expiry policy.
   */
  private final class EntryIterator implements Iterator<Cache.Entry<K, V>> {
    private final Iterator<Object> keys;
    private CachetEntry<K, V> next;
    private CachetEntry<K, V> last;

    EntryIterator(Iterator<Object> keys) {
      this.keys = keys;
    }

    @SuppressWarnings("unchecked")
    private void fetch() {
      long start = statistics.start();
      long now = clock.millis();
      while (next == null && keys.hasNext()) {
        Object stored = keys.next();
        ReentrantLock lock = lockOf(stored);
        lock.lock();
        try {
          Object held = store.peek(stored);
          if (held instanceof Expirable entry && !entry.isExpiredAt(now)) {
            next = new CachetEntry<>((K) copier.readKey(stored), valueOf(entry));
            accessed(entry, now);
          }
        } finally {
          lock.unlock();
        }
      }
      if (next != null) {
        statistics.hits(1);
        statistics.getTime(start);
      }
    }

    @Override
    public boolean hasNext() {
      ensureOpen();
      if (next == null) {
        fetch();
      }
      return next != null;
    }

    @Override
    public Cache.Entry<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      last = next;
      next = null;
      return last;
    }

    @Override
    public void remove() {
      ensureOpen();
      if (last == null) {
        throw new IllegalStateException("next() must be called before remove()");
      }
      K key = last.getKey();
      V value = last.getValue();
      last = null;
      long start = statistics.start();
      ReentrantLock lock = lockOf(key);
      lock.lock();
      try {
        delete(key);
        drop(key);
        dispatch(List.of(event(EventType.REMOVED, key, value, value)));
      } finally {
        lock.unlock();
      }
      statistics.removals(1);
      statistics.removeTime(start);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reclaiming expired entries

  private void scheduleSweep() {
    if (sweeping.compareAndSet(false, true)) {
      try {
        executor.execute(() -> {
          try {
            sweep();
          } finally {
            sweeping.set(false);
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        sweeping.set(false); // The manager is closing.
      }
    }
  }

  /**
   * Drops the expired entries that no operation touched (an unbounded cache would otherwise
   * keep them), each under its key's lock and with its expired event. Runs on the manager's
   * executor every {@link #SWEEP_EVERY} writes; returns how many it dropped.
   */
  @SuppressWarnings("unchecked")
  int sweep() {
    int dropped = 0;
    for (Object stored : store.keys()) {
      if (closed) {
        break;
      }
      if (!(store.peek(stored) instanceof Expirable seen)
          || !seen.isExpiredAt(clock.millis())) {
        continue;
      }
      ReentrantLock lock = lockOf(stored);
      lock.lock();
      try {
        long now = clock.millis();
        if (store.peek(stored) instanceof Expirable entry && entry.isExpiredAt(now)) {
          K key = (K) copier.readKey(stored);
          List<CachetEntryEvent<K, V>> events = new ArrayList<>(1);
          expire(key, valueOf(entry), events);
          dropped++;
          try {
            dispatch(events);
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cache " + name + ": a listener failed on an"
                + " expired entry", e);
          }
        }
      } finally {
        lock.unlock();
      }
    }
    return dropped;
  }

  @Override
  public String toString() {
    return "CachetCache[" + name + ", " + configuration + "]";
  }
}
