package dev.cachet;

import dev.cachet.memo.CacheConfig;
import dev.cachet.memo.MemoFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The settings of one named cache, starting from its {@link Cachet}'s defaults, ended by
 * {@code memoize(...)} or {@link #cache()}. Immutable: every setter returns a new spec.
 *
 * <pre>{@code
 * var search = cachet.function("kb_search")
 *     .policy(EvictionPolicy.LRU).maximumSize(128).expireAfterWrite(Duration.ofSeconds(5))
 *     .ignore("logger")
 *     .memoize(this::kbSearch);
 * }</pre>
 */
public final class CacheSpec extends CacheOptions<CacheSpec> {
  private final MemoFactory factory;
  private final String name;

  CacheSpec(MemoFactory factory, String name, CacheConfig config) {
    super(config);
    this.factory = factory;
    this.name = name;
  }

  @Override
  CacheSpec copy(CacheConfig config) {
    return new CacheSpec(factory, name, config);
  }

  /**
   * Sets a version: bump it when cached results must be recomputed though the code did not
   * change (the data behind it did, say). Tiers that persist entries key them by version.
   */
  public CacheSpec version(String version) {
    Objects.requireNonNull(version, "version");
    if (version.length() > 100 || version.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("version must be printable text of at most 100"
          + " characters (it is part of every stored key), such as \"2\" or \"2026-11-prices\";"
          + " got " + version.length() + " characters");
    }
    return with(m -> m.version = version);
  }

  /**
   * Leaves the named parameters out of the key, like a logger or a connection. Needs the
   * function's parameter names: pass a lambda or method reference directly to
   * {@code memoize} and compile with {@code -parameters}; otherwise use {@link #ignore(int...)}.
   */
  public CacheSpec ignore(String... parameterNames) {
    for (String n : parameterNames) {
      Objects.requireNonNull(n, "ignore(...) got a null parameter name");
    }
    return with(m -> m.ignoredNames.addAll(Arrays.asList(parameterNames)));
  }

  /** Leaves the parameters at these zero-based positions out of the key. */
  public CacheSpec ignore(int... parameterIndexes) {
    return with(m -> Arrays.stream(parameterIndexes).forEach(m.ignoredIndexes::add));
  }

  /**
   * Computes the key from the call's arguments instead of using them all; the returned value
   * is snapshotted like an argument (so it may be a record, a list, a string...).
   */
  public CacheSpec keyBy(Function<Object[], Object> keyFunction) {
    Objects.requireNonNull(keyFunction, "keyFunction");
    return with(m -> m.keyFunction = keyFunction);
  }

  /**
   * Stores a result only when {@code predicate} accepts it (Python dogpile's
   * {@code should_cache_fn}); rejected results are still returned to the caller. The predicate
   * sees null results when nulls are cached.
   */
  public CacheSpec cacheIf(Predicate<Object> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    return with(m -> m.cacheIf = predicate);
  }

  /**
   * Caches exceptions thrown by the function for {@code ttl}: calls within that time rethrow
   * the same exception without running the function. Errors (such as
   * {@link OutOfMemoryError}) are never cached. Off by default.
   */
  public CacheSpec cacheExceptions(Duration ttl) {
    Duration d = positive("cacheExceptions", ttl);
    return with(m -> m.cacheExceptions = d);
  }

  /**
   * Tags every entry of this cache, so that {@link Cachet#invalidateTag} drops them together
   * with every other cache carrying the tag, in every tier and every process.
   */
  public CacheSpec tags(String... tags) {
    for (String t : tags) {
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("tags(...) got a null or blank tag; tags name groups"
            + " to invalidate together, such as \"tenant-42\"");
      }
    }
    return with(m -> m.tags.addAll(Arrays.asList(tags)));
  }

  /**
   * Computes a missing entry once for the whole fleet: the first process to miss it takes a
   * lock in the shared tier (Redis) and computes, the others wait to be notified and read its
   * result, for at most {@code maxWait}, after which they compute it themselves. Needs a shared
   * tier that offers it ({@code Cachet.Builder.redis}).
   */
  public CacheSpec fleetSingleFlight(Duration maxWait) {
    Duration d = positive("fleetSingleFlight", maxWait);
    return with(m -> m.fleetWait = d);
  }

  /**
   * Keeps serving an expired entry for up to {@code window} after its
   * {@code expireAfterWrite} while one background computation refreshes it, so callers never
   * wait for a popular key to be recomputed. Needs {@code expireAfterWrite}. The arguments of
   * the call that triggers the refresh are used again on a pool thread: don't mutate them.
   */
  public CacheSpec staleWhileRevalidate(Duration window) {
    Duration d = positive("staleWhileRevalidate", window);
    return with(m -> m.staleWhileRevalidate = d);
  }

  /**
   * Declares the function's result type, for the tiers below memory to decode stored values
   * into. Needed only for lambdas with a generic result, such as {@code List<Order>}: Java
   * erases it from a lambda's compiled code (a method reference keeps it). Pass, for example,
   * {@code new com.fasterxml.jackson.core.type.TypeReference<List<Order>>() {}.getType()}.
   */
  public CacheSpec resultType(java.lang.reflect.Type type) {
    Objects.requireNonNull(type, "resultType(type) needs a type");
    return with(m -> m.resultType = type);
  }

  /** Early probabilistic refresh with the usual weight 1; see {@link #earlyRefresh(double)}. */
  public CacheSpec earlyRefresh() {
    return earlyRefresh(1.0);
  }

  /**
   * Refreshes entries in the background shortly before they expire (the XFetch algorithm): each
   * hit draws a chance that grows as expiry nears and with how long the computation took, so a
   * popular key is recomputed about once, before it expires, instead of by a stampede after.
   * Needs {@code expireAfterWrite}. Larger {@code beta} refreshes earlier.
   *
   * @throws IllegalArgumentException when {@code beta} is not positive
   */
  public CacheSpec earlyRefresh(double beta) {
    if (!(beta > 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("earlyRefresh(beta) needs a positive beta (1.0 is the"
          + " usual choice), was " + beta);
    }
    return with(m -> m.earlyRefreshBeta = beta);
  }

  /** Memoizes a one-argument lambda or method reference. */
  public <A, R> MemoizedFunction<A, R> memoize(SerializableFunction<A, R> function) {
    return factory.function(name, config, function);
  }

  /** Memoizes a one-argument function. */
  public <A, R> MemoizedFunction<A, R> memoize(Function<A, R> function) {
    return factory.function(name, config, function);
  }

  /** Memoizes a two-argument lambda or method reference. */
  public <A, B, R> MemoizedBiFunction<A, B, R> memoize(SerializableBiFunction<A, B, R> function) {
    return factory.biFunction(name, config, function);
  }

  /** Memoizes a two-argument function. */
  public <A, B, R> MemoizedBiFunction<A, B, R> memoize(BiFunction<A, B, R> function) {
    return factory.biFunction(name, config, function);
  }

  /** Memoizes a zero-argument lambda or method reference. */
  public <R> MemoizedSupplier<R> memoize(SerializableSupplier<R> supplier) {
    return factory.supplier(name, config, supplier);
  }

  /** Memoizes a supplier. */
  public <R> MemoizedSupplier<R> memoize(Supplier<R> supplier) {
    return factory.supplier(name, config, supplier);
  }

  /** Memoizes a callable; its checked exceptions reach the caller unchanged. */
  public <R> MemoizedCallable<R> memoize(Callable<R> callable) {
    return factory.callable(name, config, callable);
  }

  /**
   * Builds a plain key-value cache with these settings. It stays in memory even when the
   * {@link Cachet} has tiers below memory, since it does not know its value type; use
   * {@link #cache(Class)} to keep values there too.
   */
  public <K, V> Cache<K, V> cache() {
    return factory.cache(name, config);
  }

  /**
   * Builds a plain key-value cache whose values are also kept in the tiers below memory (disk,
   * Redis), decoded back into {@code valueType}. Entries live under this cache's name, version
   * and the shape of {@code valueType}: bump {@link #version} when what the values mean changes.
   */
  public <K, V> Cache<K, V> cache(Class<V> valueType) {
    Objects.requireNonNull(valueType, "cache(valueType) needs the values' type");
    return factory.cache(name, config, valueType);
  }

  /**
   * Like {@link #cache(Class)} for a generic value type, such as the
   * {@link java.lang.reflect.ParameterizedType} of {@code List<Order>}.
   */
  public <K, V> Cache<K, V> cache(java.lang.reflect.Type valueType) {
    Objects.requireNonNull(valueType, "cache(valueType) needs the values' type");
    return factory.cache(name, config, valueType);
  }

  @Override
  public String toString() {
    return "CacheSpec[" + name + "]";
  }
}
