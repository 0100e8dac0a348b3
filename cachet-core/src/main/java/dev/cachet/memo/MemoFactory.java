package dev.cachet.memo;

import dev.cachet.Cache;
import dev.cachet.Memoize;
import dev.cachet.Policy;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds memoized functions, object caches and proxies for one {@code Cachet}, registering each
 * cache it creates. Internal: {@code Cachet} and {@code CacheSpec} are the public entry points.
 */
public final class MemoFactory {
  private final CacheConfig defaults;
  private final Consumer<MemoCache> registry;

  /**
   * @param defaults the settings caches inherit
   * @param registry told about every cache created
   */
  public MemoFactory(CacheConfig defaults, Consumer<MemoCache> registry) {
    this.defaults = defaults;
    this.registry = registry;
  }

  /** The settings caches inherit. */
  public CacheConfig defaults() {
    return defaults;
  }

  MemoCache newCache(String name, CacheConfig config) {
    requireName(name);
    MemoCache cache = new MemoCache(name, config);
    registry.accept(cache);
    return cache;
  }

  private static void requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a cache needs a name (it appears in statistics,"
          + " events and errors, and later identifies its entries on disk); got "
          + (name == null ? "null" : "\"" + name + "\""));
    }
  }

  /** Memoizes a one-argument function. */
  public <A, R> MemoizedFunction<A, R> function(String name, CacheConfig config,
      Function<A, R> function) {
    requireFunction(name, function);
    KeyPlan keys = KeyPlan.of(name, config, 1, names(function, 1));
    return new FunctionMemo<>(newCache(name, config), keys, function);
  }

  /** Memoizes a two-argument function. */
  public <A, B, R> MemoizedBiFunction<A, B, R> biFunction(String name, CacheConfig config,
      BiFunction<A, B, R> function) {
    requireFunction(name, function);
    KeyPlan keys = KeyPlan.of(name, config, 2, names(function, 2));
    return new BiFunctionMemo<>(newCache(name, config), keys, function);
  }

  /** Memoizes a supplier. */
  public <R> MemoizedSupplier<R> supplier(String name, CacheConfig config, Supplier<R> supplier) {
    requireFunction(name, supplier);
    KeyPlan keys = KeyPlan.of(name, config, 0, List.of());
    return new SupplierMemo<>(newCache(name, config), keys, supplier);
  }

  /** Memoizes a callable. */
  public <R> MemoizedCallable<R> callable(String name, CacheConfig config, Callable<R> callable) {
    requireFunction(name, callable);
    KeyPlan keys = KeyPlan.of(name, config, 0, List.of());
    return new CallableMemo<>(newCache(name, config), keys, callable);
  }

  /** A plain object cache. */
  public <K, V> Cache<K, V> cache(String name, CacheConfig config) {
    if (!config.ignoredNames.isEmpty() || !config.ignoredIndexes.isEmpty()
        || config.keyFunction != null) {
      throw new IllegalArgumentException("cache '" + name + "': ignore(...) and keyBy(...) apply"
          + " to memoized functions' parameters, not to a plain cache's keys. Remove them, or"
          + " use memoize(...).");
    }
    return new ObjectCache<>(newCache(name, config));
  }

  /** A proxy whose {@link Memoize}-annotated methods are cached. */
  public <T> T proxy(Class<T> iface, T impl) {
    if (iface == null || impl == null) {
      throw new NullPointerException("proxy(iface, impl) needs both; got "
          + (iface == null ? "a null interface" : "a null implementation"));
    }
    return MemoProxy.create(iface, impl, this);
  }

  /** The settings of one proxied method: the defaults plus the annotation's own. */
  CacheConfig configFor(String name, Memoize a) {
    if (a.policy().length > 1) {
      throw new IllegalArgumentException("@Memoize on " + name + ": give at most one policy, got "
          + List.of(a.policy()) + ".");
    }
    return defaults.with(m -> {
      if (!a.ttl().isEmpty()) {
        m.expireAfterWrite = Durations.parse("@Memoize(ttl) on " + name, a.ttl());
      }
      if (!a.tti().isEmpty()) {
        m.expireAfterAccess = Durations.parse("@Memoize(tti) on " + name, a.tti());
      }
      if (a.maximumSize() >= 0) {
        m.bySize(a.maximumSize());
      }
      if (a.policy().length == 1) {
        Policy p = a.policy()[0];
        m.policy = p;
      }
      if (a.typed()) {
        m.typed = true;
      }
      m.version = a.version();
      m.ignoredNames.addAll(List.of(a.ignore()));
      for (int i : a.ignoreIndex()) {
        m.ignoredIndexes.add(i);
      }
    });
  }

  private static void requireFunction(String name, Object function) {
    requireName(name);
    if (function == null) {
      throw new NullPointerException("memoize(\"" + name + "\", ...) needs a function; got null");
    }
  }

  private static List<String> names(Object function, int arity) {
    return LambdaMethod.of(function, arity).map(LambdaMethod::parameterNames).orElse(null);
  }
}
