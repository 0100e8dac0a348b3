package dev.cachet.jcache;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The JSR-107 provider of Cachet, found by {@code Caching.getCachingProvider()} through
 * {@code META-INF/services/javax.cache.spi.CachingProvider}. It keeps one
 * {@link CachetCacheManager} per class loader and URI.
 *
 * <p>A URI that names a properties file ({@code file:...}, {@code classpath:...}, or a path
 * ending in {@code .properties}) gives a manager whose caches are declared in that file; the
 * format is described in the module's README and in {@link CacheFile}.
 */
public final class CachetCachingProvider implements CachingProvider {
  private static final URI DEFAULT_URI = URI.create(CachetCachingProvider.class.getName());

  private final WeakHashMap<ClassLoader, Map<URI, CachetCacheManager>> managers =
      new WeakHashMap<>();

  /** Called by {@link java.util.ServiceLoader} (through {@code javax.cache.Caching}). */
  public CachetCachingProvider() {
  }

  @Override
  public synchronized CachetCacheManager getCacheManager(URI uri, ClassLoader classLoader,
      Properties properties) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Map<URI, CachetCacheManager> byUri = managers.computeIfAbsent(loader, l -> new HashMap<>());
    CachetCacheManager manager = byUri.get(managerUri);
    if (manager == null || manager.isClosed()) {
      manager = new CachetCacheManager(this, managerUri, loader,
          properties == null ? getDefaultProperties() : properties);
      byUri.put(managerUri, manager);
    }
    return manager;
  }

  @Override
  public CachetCacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CachetCacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader(), null);
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    return getClass().getClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return DEFAULT_URI;
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  @Override
  public void close() {
    List<CachetCacheManager> all = new ArrayList<>();
    synchronized (this) {
      managers.values().forEach(m -> all.addAll(m.values()));
      managers.clear();
    }
    all.forEach(CachetCacheManager::close);
  }

  @Override
  public void close(ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    List<CachetCacheManager> all;
    synchronized (this) {
      Map<URI, CachetCacheManager> byUri = managers.remove(loader);
      all = byUri == null ? List.of() : new ArrayList<>(byUri.values());
    }
    all.forEach(CachetCacheManager::close);
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    CachetCacheManager manager;
    synchronized (this) {
      Map<URI, CachetCacheManager> byUri = managers.get(loader);
      manager = byUri == null ? null : byUri.remove(managerUri);
      if (byUri != null && byUri.isEmpty()) {
        managers.remove(loader);
      }
    }
    if (manager != null) {
      manager.close();
    }
  }

  /** Called by a closing manager: the next request for its URI gets a new one. */
  synchronized void release(URI uri, ClassLoader classLoader, CachetCacheManager manager) {
    Map<URI, CachetCacheManager> byUri = managers.get(classLoader);
    if (byUri != null) {
      byUri.remove(uri, manager);
      if (byUri.isEmpty()) {
        managers.remove(classLoader);
      }
    }
  }

  @Override
  public boolean isSupported(OptionalFeature feature) {
    return feature == OptionalFeature.STORE_BY_REFERENCE;
  }
}
