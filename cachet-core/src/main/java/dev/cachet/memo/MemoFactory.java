package dev.cachet.memo;

import dev.cachet.Cache;
import dev.cachet.EvictionPolicy;
import dev.cachet.Memoize;
import dev.cachet.MemoizedBiFunction;
import dev.cachet.MemoizedCallable;
import dev.cachet.MemoizedFunction;
import dev.cachet.MemoizedSupplier;
import dev.cachet.codec.CodecRegistry;
import dev.cachet.fingerprint.CodeFingerprint;
import dev.cachet.fingerprint.Fingerprint;
import dev.cachet.fingerprint.TypeFingerprint;
import dev.cachet.tier.TierAccess;
import dev.cachet.tier.TierEngine;
import dev.cachet.tier.Tiers;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
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
  private final Tiers tiers;
  private final Consumer<MemoCache> registry;

  /**
   * @param defaults the settings caches inherit
   * @param tiers the tiers below memory shared by every memoized function
   * @param registry told about every cache created
   */
  public MemoFactory(CacheConfig defaults, Tiers tiers, Consumer<MemoCache> registry) {
    this.defaults = defaults;
    this.tiers = tiers;
    this.registry = registry;
  }

  /**
   * A tier engine over the tiers, with the defaults' clock and memory lifetime, and counts of
   * its own.
   */
  public TierEngine tierEngine() {
    return new TierEngine(tiers, defaults.clock, defaults.expireAfterWrite == null ? 0
        : Math.max(1, defaults.expireAfterWrite.toMillis()));
  }

  MemoCache newCache(String name, CacheConfig config) {
    return register(new MemoCache(name, config));
  }

  private MemoCache register(MemoCache cache) {
    requireName(cache.name());
    if (cache.config().fleetWait != null
        && (cache.tiers() == null || cache.tiers().fleetFlight().isEmpty())) {
      throw new IllegalArgumentException("Cache '" + cache.name() + "': fleetSingleFlight needs"
          + " a shared tier that coordinates processes; add one with Cachet.builder().redis(uri)"
          + (tiers.isEmpty() ? "" : " (the configured tiers " + tiers.stores()
              + " do not offer it)"));
    }
    registry.accept(cache);
    return cache;
  }

  /** A cache for a memoized lambda or function object, with the tiers when there are any. */
  private MemoCache newCache(String name, CacheConfig config, Object function, int arity) {
    if (tiers.isEmpty()) {
      return newCache(name, config);
    }
    Type declared = config.resultType != null ? config.resultType
        : LambdaMethod.of(function, arity)
            .map(LambdaMethod::method)
            .map(m -> m instanceof Method method ? method.getGenericReturnType()
                : m.getDeclaringClass())
            .orElse(Object.class);
    return register(new MemoCache(name, config,
        tierAccess(name, config, CodeFingerprint.fingerprint(function, arity), declared)));
  }

  /** A cache for a proxied method, with the tiers when there are any. */
  MemoCache newCache(String name, CacheConfig config, Method implementation, Type declared) {
    if (tiers.isEmpty()) {
      return newCache(name, config);
    }
    return register(new MemoCache(name, config,
        tierAccess(name, config, CodeFingerprint.fingerprint(implementation), declared)));
  }

  /**
   * Where a function's entries live below memory: its name, version, code fingerprint and
   * result-type fingerprint, so that editing the function or reshaping its result type starts
   * from empty instead of serving results of the old code.
   */
  private TierAccess tierAccess(String name, CacheConfig config, Fingerprint code, Type declared) {
    requireName(name);
    if (!code.isKnown() && config.version.isEmpty()) {
      throw new IllegalArgumentException("Cannot keep results of '" + name + "' below memory: "
          + code.reason());
    }
    String type = TypeFingerprint.of(declared);
    String namespace = name + ":" + (config.version.isEmpty() ? "-" : config.version) + ":"
        + (code.isKnown() ? code.value().substring(0, 16) : "-") + ":" + type.substring(0, 16)
        + (config.typed ? ":typed" : "");
    long ttl = config.expireAfterWrite == null ? 0 : config.expireAfterWrite.toMillis();
    return new TierAccess(name, namespace, declared, type, tiers, CodecRegistry.defaults(), ttl,
        List.copyOf(config.tags), config.verbose, config.clock);
  }

  private static void requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a cache needs a name (it appears in statistics,"
          + " events and errors, and later identifies its entries on disk); got "
          + (name == null ? "null" : "\"" + name + "\""));
    }
    // Names become part of every stored key (disk rows, Redis keys, audit records): keep them
    // short and printable so those stay readable and within every store's limits.
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("cache name is " + name.length() + " characters long;"
          + " the limit is " + MAX_NAME_LENGTH + ". Use a short name such as \""
          + name.substring(0, 20) + "...\" and put details in the version");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("cache name \"" + name.replaceAll("\\p{Cntrl}", "?")
          + "\" contains control characters (shown as ?); use printable characters only");
    }
  }

  /** The longest cache name accepted. */
  static final int MAX_NAME_LENGTH = 200;

  /** Memoizes a one-argument function. */
  public <A, R> MemoizedFunction<A, R> function(String name, CacheConfig config,
      Function<A, R> function) {
    requireFunction(name, function);
    KeyPlan keys = KeyPlan.of(name, config, 1, names(function, 1));
    return new FunctionMemo<>(newCache(name, config, function, 1), keys, function);
  }

  /** Memoizes a two-argument function. */
  public <A, B, R> MemoizedBiFunction<A, B, R> biFunction(String name, CacheConfig config,
      BiFunction<A, B, R> function) {
    requireFunction(name, function);
    KeyPlan keys = KeyPlan.of(name, config, 2, names(function, 2));
    return new BiFunctionMemo<>(newCache(name, config, function, 2), keys, function);
  }

  /** Memoizes a supplier. */
  public <R> MemoizedSupplier<R> supplier(String name, CacheConfig config, Supplier<R> supplier) {
    requireFunction(name, supplier);
    KeyPlan keys = KeyPlan.of(name, config, 0, List.of());
    return new SupplierMemo<>(newCache(name, config, supplier, 0), keys, supplier);
  }

  /** Memoizes a callable. */
  public <R> MemoizedCallable<R> callable(String name, CacheConfig config, Callable<R> callable) {
    requireFunction(name, callable);
    KeyPlan keys = KeyPlan.of(name, config, 0, List.of());
    return new CallableMemo<>(newCache(name, config, callable, 0), keys, callable);
  }

  /** A plain object cache. */
  public <K, V> Cache<K, V> cache(String name, CacheConfig config) {
    requirePlainCacheOptions(name, config);
    return new ObjectCache<>(newCache(name, config));
  }

  private static void requirePlainCacheOptions(String name, CacheConfig config) {
    if (!config.ignoredNames.isEmpty() || !config.ignoredIndexes.isEmpty()
        || config.keyFunction != null) {
      throw new IllegalArgumentException("cache '" + name + "': ignore(...) and keyBy(...) apply"
          + " to memoized functions' parameters, not to a plain cache's keys. Remove them, or"
          + " use memoize(...).");
    }
  }

  /** Stands in for the code fingerprint of a plain cache, whose values come from callers. */
  private static final Fingerprint PLAIN_CACHE = Fingerprint.known("plain-cache-values");

  /**
   * A plain cache whose values, of type {@code valueType}, are also kept in the tiers below
   * memory. Its entries live under the cache's name, version and value-type fingerprint: there
   * is no code to fingerprint, so bump the version when what the values mean changes.
   */
  public <K, V> Cache<K, V> cache(String name, CacheConfig config, Type valueType) {
    requirePlainCacheOptions(name, config);
    if (tiers.isEmpty()) {
      return new ObjectCache<>(newCache(name, config));
    }
    return new ObjectCache<>(register(new MemoCache(name, config,
        tierAccess(name, config, PLAIN_CACHE, valueType))));
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
        EvictionPolicy p = a.policy()[0];
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
      for (String tag : a.tags()) {
        if (tag.isBlank()) {
          throw new IllegalArgumentException("@Memoize(tags) on " + name + ": a tag is blank");
        }
        m.tags.add(tag);
      }
      if (!a.staleWhileRevalidate().isEmpty()) {
        m.staleWhileRevalidate = Durations.parse("@Memoize(staleWhileRevalidate) on " + name,
            a.staleWhileRevalidate());
      }
      if (a.earlyRefresh()) {
        m.earlyRefreshBeta = 1.0;
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
