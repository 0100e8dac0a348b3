package dev.cachet.spring;

import dev.cachet.CacheSpec;
import dev.cachet.Cachet;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} whose caches are Cachet caches of one {@link Cachet}: they use
 * its memory policies and its tiers (disk, Redis), and each cache can have its own settings.
 *
 * <pre>{@code
 * @Bean
 * CacheManager cacheManager(Cachet cachet) {
 *   return CachetCacheManager.builder(cachet)
 *       .cache("books", spec -> spec.maximumSize(1_000).expireAfterWrite(Duration.ofMinutes(5)),
 *           Book.class)
 *       .build();
 * }
 * }</pre>
 *
 * <p>Values go to the tiers below memory as JSON, decoded back into the cache's value type
 * ({@link Builder#cache(String, UnaryOperator, Type)}); without one they are decoded as
 * {@code Object}, which keeps strings, numbers, booleans and lists and maps of them in every
 * tier, and other values (your records, say) in memory only.
 *
 * <p>The manager does not close its Cachet: whoever created the Cachet closes it. Thread-safe.
 */
public final class CachetCacheManager implements CacheManager {
  private final Cachet cachet;
  private final Map<String, Definition> definitions;
  private final UnaryOperator<CacheSpec> otherCaches;
  private final boolean dynamic;
  private final boolean allowNullValues;
  private final Executor asyncLoads;
  private final ConcurrentMap<String, CachetSpringCache> caches = new ConcurrentHashMap<>();

  private CachetCacheManager(Builder builder) {
    this.cachet = builder.cachet;
    this.definitions = Map.copyOf(builder.definitions);
    this.otherCaches = builder.otherCaches;
    this.dynamic = builder.dynamic;
    this.allowNullValues = builder.allowNullValues;
    this.asyncLoads = builder.asyncLoads != null ? builder.asyncLoads : defaultAsyncLoads();
    // Configured caches are built now, so that a bad setting fails the application's start
    // rather than its first request.
    builder.definitions.keySet().forEach(this::getCache);
  }

  /** A manager creating every cache on first use with {@code cachet}'s defaults. */
  public CachetCacheManager(Cachet cachet) {
    this(builder(cachet));
  }

  /** Starts a manager over {@code cachet}. */
  public static Builder builder(Cachet cachet) {
    return new Builder(cachet);
  }

  /**
   * The cache named {@code name}, created on first use; null only when the name was not
   * configured and the manager was built with {@code dynamic(false)}.
   *
   * @throws IllegalArgumentException when the cache's settings are invalid (the message says
   *     which and why)
   */
  @Override
  public Cache getCache(String name) {
    Objects.requireNonNull(name, "getCache(name) needs a name");
    CachetSpringCache cache = caches.get(name);
    if (cache != null) {
      return cache;
    }
    Definition definition = definitions.get(name);
    if (definition == null && !dynamic) {
      return null;
    }
    return caches.computeIfAbsent(name, n -> create(n,
        definition != null ? definition : new Definition(otherCaches, Object.class)));
  }

  private CachetSpringCache create(String name, Definition definition) {
    CacheSpec spec = definition.settings().apply(cachet.function(name));
    Objects.requireNonNull(spec, () -> "the settings of cache '" + name + "' returned no spec");
    dev.cachet.Cache<Object, StoredValue<Object>> cache =
        spec.cache(new StoredValueType(definition.valueType()));
    return new CachetSpringCache(name, cache, allowNullValues, asyncLoads);
  }

  /** The names of the configured caches and of those created so far. */
  @Override
  public Collection<String> getCacheNames() {
    Set<String> names = new LinkedHashSet<>(definitions.keySet());
    names.addAll(caches.keySet());
    return Collections.unmodifiableSet(names);
  }

  /** The Cachet whose caches this manager hands out. */
  public Cachet cachet() {
    return cachet;
  }

  /**
   * Runs the asynchronous loads of {@code retrieve(key, loader)}: each waits on a thread for the
   * key's single flight. Not Cachet's fork/join pool, where single-flight gives way to avoid
   * deadlocks; idle threads end after a minute, so nothing needs closing.
   */
  private static ExecutorService defaultAsyncLoads() {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory threads = runnable -> {
      Thread t = new Thread(runnable, "cachet-spring-load-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    return Executors.newCachedThreadPool(threads);
  }

  @Override
  public String toString() {
    return "CachetCacheManager[" + getCacheNames() + ", " + cachet + "]";
  }

  /** One configured cache: its settings and the type its values are decoded into. */
  private record Definition(UnaryOperator<CacheSpec> settings, Type valueType) {
  }

  /** Builds a {@link CachetCacheManager}. Not thread-safe; build once. */
  public static final class Builder {
    private final Cachet cachet;
    private final Map<String, Definition> definitions = new LinkedHashMap<>();
    private UnaryOperator<CacheSpec> otherCaches = UnaryOperator.identity();
    private boolean dynamic = true;
    private boolean allowNullValues = true;
    private Executor asyncLoads;

    private Builder(Cachet cachet) {
      this.cachet = Objects.requireNonNull(cachet, "CachetCacheManager needs a Cachet");
    }

    /**
     * Settings of the caches created on first use under names not configured with
     * {@code cache(...)} (for example {@code spec -> spec.fleetSingleFlight(Duration.ofSeconds(30))});
     * by default the Cachet's own defaults. Configured caches have only their own settings.
     */
    public Builder otherCaches(UnaryOperator<CacheSpec> settings) {
      this.otherCaches = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Configures the cache {@code name} with its own settings, applied to
     * {@code cachet.function(name)} (which starts from the Cachet's defaults); its values are
     * decoded as {@code Object} in the tiers below memory.
     */
    public Builder cache(String name, UnaryOperator<CacheSpec> settings) {
      return cache(name, settings, Object.class);
    }

    /**
     * Configures the cache {@code name} with its own settings and the type of its values, which
     * the tiers below memory (disk, Redis) decode stored values into, such as {@code Book.class}
     * or the {@link java.lang.reflect.ParameterizedType} of {@code List<Book>}. Settings that
     * look at values ({@code cacheIf}, a weigher, an expiry) receive each one wrapped in a
     * {@link StoredValue}.
     */
    public Builder cache(String name, UnaryOperator<CacheSpec> settings, Type valueType) {
      Objects.requireNonNull(name, "cache(name, ...) needs a name");
      Objects.requireNonNull(settings, "settings");
      Objects.requireNonNull(valueType, "valueType");
      definitions.put(name, new Definition(settings, valueType));
      return this;
    }

    /**
     * Whether {@code getCache} creates caches for names that were not configured, with the
     * {@link #otherCaches} settings ({@code true} by default); with {@code false} it returns null for them, and Spring
     * reports the unknown cache name.
     */
    public Builder dynamic(boolean dynamic) {
      this.dynamic = dynamic;
      return this;
    }

    /**
     * Whether null values are cached ({@code true} by default, as in Spring); with
     * {@code false}, storing null throws {@link IllegalArgumentException}.
     */
    public Builder allowNullValues(boolean allowNullValues) {
      this.allowNullValues = allowNullValues;
      return this;
    }

    /**
     * The executor on whose threads {@code retrieve(key, loader)} waits for asynchronous loads;
     * by default a pool of daemon threads of the manager's own. Avoid a
     * {@link java.util.concurrent.ForkJoinPool}: Cachet lets fork/join workers compute instead
     * of waiting, so loads there are not single-flight.
     */
    public Builder asyncExecutor(Executor executor) {
      this.asyncLoads = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Builds the manager and its configured caches.
     *
     * @throws IllegalArgumentException when a configured cache's settings are invalid
     */
    public CachetCacheManager build() {
      return new CachetCacheManager(this);
    }
  }
}
