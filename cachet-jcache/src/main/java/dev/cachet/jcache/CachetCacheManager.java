package dev.cachet.jcache;

import dev.cachet.Cachet;
import dev.cachet.tier.Invalidation;
import dev.cachet.tier.Store;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.Configuration;
import javax.cache.spi.CachingProvider;

/**
 * A JCache {@link CacheManager} over Cachet. Its caches keep their entries in Cachet's memory
 * engine and, when their {@link CachetConfiguration} names them, in disk and Redis tiers opened
 * through Cachet (shared by the caches that name the same ones, and closed with the manager).
 *
 * <p>When the URI it was obtained with names a configuration file (see {@link CacheFile}: a
 * {@code file:} or {@code classpath:} URI, or a path ending in {@code .properties}), the caches
 * declared there exist from the start: {@code getCache(name)} returns them.
 */
public final class CachetCacheManager implements CacheManager {
  private static final System.Logger LOG = System.getLogger(CachetCacheManager.class.getName());
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final CachetCachingProvider provider;
  private final URI uri;
  private final WeakReference<ClassLoader> classLoader;
  private final Properties properties;
  private final ConcurrentHashMap<String, CachetCache<?, ?>> caches = new ConcurrentHashMap<>();
  /** Cachet instances owning the tiers, by the tiers they open. */
  private final Map<String, Cachet> engines = new LinkedHashMap<>();
  private final ExecutorService executor;
  private volatile boolean closed;

  CachetCacheManager(CachetCachingProvider provider, URI uri, ClassLoader classLoader,
      Properties properties) {
    this.provider = provider;
    this.uri = Objects.requireNonNull(uri, "uri");
    this.classLoader = new WeakReference<>(Objects.requireNonNull(classLoader, "classLoader"));
    this.properties = new Properties();
    if (properties != null) {
      this.properties.putAll(properties);
    }
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, "cachet-jcache-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.executor = Executors.newCachedThreadPool(threads);
    try {
      CacheFile.load(uri, classLoader).forEach(this::createCache);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader.get();
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("CacheManager " + uri + " is closed");
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName,
      C configuration) {
    ensureOpen();
    Objects.requireNonNull(cacheName, "cacheName must not be null");
    Objects.requireNonNull(configuration, "configuration must not be null");
    synchronized (caches) {
      if (caches.containsKey(cacheName)) {
        throw new CacheException("A cache named " + cacheName + " already exists in manager "
            + uri + ". Use getCache(\"" + cacheName + "\") to reach it.");
      }
      CachetConfiguration<K, V> copy = new CachetConfiguration<>(configuration);
      TierLink tiers = copy.hasTiers() ? tiersFor(cacheName, copy) : null;
      CachetCache<K, V> cache = new CachetCache<>(this, cacheName, copy, tiers, executor);
      caches.put(cacheName, cache);
      return cache;
    }
  }

  private TierLink tiersFor(String cacheName, CachetConfiguration<?, ?> config) {
    Path disk = config.getDiskDirectory();
    String redis = config.getRedisUri();
    String id = "disk=" + disk + "|redis=" + redis;
    Cachet engine;
    synchronized (engines) {
      engine = engines.get(id);
      if (engine == null) {
        Cachet.Builder builder = Cachet.builder();
        if (disk != null) {
          builder = builder.disk(disk);
        }
        if (redis != null) {
          builder = builder.redis(redis);
        }
        try {
          engine = builder.build();
        } catch (RuntimeException e) {
          throw new CacheException("Cache " + cacheName + " could not open its tiers ("
              + (disk == null ? "" : "disk " + disk) + (disk != null && redis != null ? ", " : "")
              + (redis == null ? "" : "redis " + redis) + "): " + e.getMessage(), e);
        }
        engines.put(id, engine);
        for (Store store : engine.tiers()) {
          store.invalidationBus().ifPresent(bus -> bus.subscribe(this::onRemote));
        }
      }
    }
    List<Store> stores = engine.tiers();
    return new TierLink(cacheName, stores, config.getTags(), config.getValueType(),
        getClassLoader(), Copier.filter(config.getSerialFilter()), config.getClock());
  }

  /**
   * Applies another process's invalidation to the memory of the caches it concerns. Runs on the
   * bus's thread; never throws.
   */
  private void onRemote(Invalidation invalidation) {
    try {
      for (CachetCache<?, ?> cache : caches.values()) {
        String namespace = cache.tierNamespace();
        if (namespace == null) {
          continue;
        }
        switch (invalidation.scope()) {
          case KEY -> {
            if (namespace.equals(invalidation.namespace())) {
              cache.invalidateRemote(invalidation.digest());
            }
          }
          case NAMESPACE -> {
            if (namespace.equals(invalidation.namespace())) {
              cache.invalidateMemory();
            }
          }
          case TAG -> {
            if (cache.liveConfiguration() instanceof CachetConfiguration<?, ?> c
                && c.getTags().contains(invalidation.tag())) {
              cache.invalidateMemory();
            }
          }
          case ALL -> cache.invalidateMemory();
        }
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not apply " + invalidation, e);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    ensureOpen();
    Objects.requireNonNull(cacheName, "cacheName must not be null");
    Objects.requireNonNull(keyType, "keyType must not be null");
    Objects.requireNonNull(valueType, "valueType must not be null");
    CachetCache<?, ?> cache = caches.get(cacheName);
    if (cache == null) {
      return null;
    }
    Configuration<?, ?> config = cache.liveConfiguration();
    if (!keyType.equals(config.getKeyType())) {
      throw new ClassCastException("Cache " + cacheName + " has keys of "
          + config.getKeyType().getName() + ", not " + keyType.getName());
    }
    if (!valueType.equals(config.getValueType())) {
      throw new ClassCastException("Cache " + cacheName + " has values of "
          + config.getValueType().getName() + ", not " + valueType.getName());
    }
    return (Cache<K, V>) cache;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName) {
    ensureOpen();
    Objects.requireNonNull(cacheName, "cacheName must not be null");
    return (Cache<K, V>) caches.get(cacheName);
  }

  @Override
  public Iterable<String> getCacheNames() {
    ensureOpen();
    return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
  }

  /**
   * Closes the cache and drops its entries everywhere: memory and, when it has them, its disk
   * and Redis tiers.
   */
  @Override
  public void destroyCache(String cacheName) {
    ensureOpen();
    Objects.requireNonNull(cacheName, "cacheName must not be null");
    CachetCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.destroy();
    }
  }

  /** Called by a closing cache: it no longer belongs here. */
  void release(String cacheName, CachetCache<?, ?> cache) {
    caches.remove(cacheName, cache);
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    ensureOpen();
    Objects.requireNonNull(cacheName, "cacheName must not be null");
    CachetCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setManagementEnabled(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    ensureOpen();
    Objects.requireNonNull(cacheName, "cacheName must not be null");
    CachetCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setStatisticsEnabled(enabled);
    }
  }

  /**
   * Drops every entry tagged {@code tag} (see {@link CachetConfiguration#tags}) from the tiers
   * this manager opened, and the memory of its caches carrying the tag.
   *
   * @return how many of this manager's caches carried the tag
   */
  public int invalidateTag(String tag) {
    ensureOpen();
    Objects.requireNonNull(tag, "invalidateTag(tag) needs a tag");
    List<Cachet> open;
    synchronized (engines) {
      open = new ArrayList<>(engines.values());
    }
    for (Cachet engine : open) {
      engine.tiers().forEach(store -> store.removeTag(tag));
    }
    int count = 0;
    for (CachetCache<?, ?> cache : caches.values()) {
      if (cache.liveConfiguration() instanceof CachetConfiguration<?, ?> c
          && c.getTags().contains(tag)) {
        cache.invalidateMemory();
        count++;
      }
    }
    return count;
  }

  /**
   * Closes every cache (their tier entries stay: see {@link CachetCache#close()}), the tiers and
   * the thread that runs asynchronous listeners and {@code loadAll}.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    provider.release(uri, getClassLoader(), this);
    for (CachetCache<?, ?> cache : new ArrayList<>(caches.values())) {
      try {
        cache.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "could not close cache " + cache.getName(), e);
      }
    }
    caches.clear();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (engines) {
      engines.values().forEach(Cachet::close);
      engines.clear();
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isAssignableFrom(getClass())) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("A Cachet cache manager unwraps to "
        + getClass().getName() + ", not " + clazz.getName());
  }

  @Override
  public String toString() {
    return "CachetCacheManager[" + uri + ", caches=" + caches.keySet() + "]";
  }
}
