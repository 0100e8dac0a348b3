package dev.cachet.spring;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.springframework.cache.Cache;
import org.springframework.cache.support.SimpleValueWrapper;

/**
 * A Spring {@link Cache} backed by one Cachet cache: what {@code @Cacheable} and friends store
 * goes through Cachet's memory policy and, when the {@link dev.cachet.Cachet} has them, its
 * disk and Redis tiers, and {@link #get(Object, Callable)} (used by
 * {@code @Cacheable(sync = true)}) runs the loader once per key however many threads ask at
 * once, and once per fleet when the cache has Cachet's {@code fleetSingleFlight}.
 *
 * <p>Null values: when the cache allows them (the default, as in Spring), a cached null is
 * present and {@link #get(Object)} returns a wrapper holding null, distinct from the null of
 * an absent key; when it does not, storing null throws {@link IllegalArgumentException}.
 *
 * <p>Obtain instances from {@link CachetCacheManager}. Thread-safe.
 */
public final class CachetSpringCache implements Cache {
  private final String name;
  private final dev.cachet.Cache<Object, StoredValue<Object>> cache;
  private final boolean allowNullValues;
  private final Executor asyncLoads;

  CachetSpringCache(String name, dev.cachet.Cache<Object, StoredValue<Object>> cache,
      boolean allowNullValues, Executor asyncLoads) {
    this.name = Objects.requireNonNull(name, "name");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.allowNullValues = allowNullValues;
    this.asyncLoads = Objects.requireNonNull(asyncLoads, "asyncLoads");
  }

  /** The cache's name, as given to {@link CachetCacheManager#getCache(String)}. */
  @Override
  public String getName() {
    return name;
  }

  /**
   * The Cachet cache underneath, a {@code dev.cachet.Cache} (for its {@code stats()} and
   * {@code cacheInfo()}); its values are {@link StoredValue} wrappers, so read and write values
   * through this Spring cache instead.
   */
  @Override
  public Object getNativeCache() {
    return cache;
  }

  /** Whether null values may be stored (they are then distinct from absent keys). */
  public boolean isAllowNullValues() {
    return allowNullValues;
  }

  /**
   * The entry for {@code key}: null when absent or expired, otherwise a wrapper whose value
   * may be null (a cached null). Looks in the tiers below memory too.
   */
  @Override
  public ValueWrapper get(Object key) {
    StoredValue<Object> stored = cache.getIfPresent(key);
    return stored == null ? null : new SimpleValueWrapper(stored.value());
  }

  /**
   * The value for {@code key}, or null when absent or a cached null.
   *
   * @throws IllegalStateException when a value is present but not an instance of {@code type}
   *     (a null {@code type} accepts any value)
   */
  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(Object key, Class<T> type) {
    StoredValue<Object> stored = cache.getIfPresent(key);
    if (stored == null) {
      return null;
    }
    Object value = stored.value();
    if (value != null && type != null && !type.isInstance(value)) {
      throw new IllegalStateException("Cache '" + name + "' holds a " + value.getClass().getName()
          + " for key " + key + ", not the required " + type.getName());
    }
    return (T) value;
  }

  /**
   * The value for {@code key}, computing it with {@code valueLoader} when absent: concurrent
   * callers of one absent key wait for a single computation (and, with Cachet's
   * {@code fleetSingleFlight}, so do other processes) and all get its result.
   *
   * @return the value, possibly null
   * @throws ValueRetrievalException wrapping whatever {@code valueLoader} threw; nothing is
   *     cached then
   * @throws IllegalArgumentException when the loader returned null and nulls are not allowed
   */
  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(Object key, Callable<T> valueLoader) {
    Objects.requireNonNull(valueLoader, "valueLoader");
    return (T) cache.get(key, k -> {
      T value;
      try {
        value = valueLoader.call();
      } catch (Exception e) {
        throw new ValueRetrievalException(key, valueLoader, e);
      }
      return storable(value);
    }).value();
  }

  /**
   * The entry for {@code key} as an already completed future, or null when absent: the future
   * holds a {@link ValueWrapper} when nulls are allowed (so a cached null stays distinct), the
   * plain value otherwise. This is what Spring expects of {@code retrieve} for
   * {@code @Cacheable} methods returning {@code CompletableFuture}, {@code Mono} or
   * {@code Flux}.
   */
  @Override
  public CompletableFuture<?> retrieve(Object key) {
    StoredValue<Object> stored = cache.getIfPresent(key);
    if (stored == null) {
      return null;
    }
    return CompletableFuture.completedFuture(
        allowNullValues ? new SimpleValueWrapper(stored.value()) : stored.value());
  }

  /**
   * The value for {@code key}, computing it with {@code valueLoader} when absent, as a future:
   * a hit completes at once; a miss waits on a thread of the manager's executor for the single
   * computation of the key (one per key for all callers, in this process and, with
   * {@code fleetSingleFlight}, in the fleet) and completes with its value, or exceptionally with
   * the exception the loader's future failed with (nothing is cached then).
   */
  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> retrieve(Object key,
      Supplier<CompletableFuture<T>> valueLoader) {
    Objects.requireNonNull(valueLoader, "valueLoader");
    StoredValue<Object> stored = cache.getIfPresent(key);
    if (stored != null) {
      return CompletableFuture.completedFuture((T) stored.value());
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      asyncLoads.execute(() -> {
        try {
          result.complete((T) cache.get(key, k -> storable(awaitLoad(valueLoader))).value());
        } catch (AsyncLoadFailure failure) {
          result.completeExceptionally(failure.getCause());
        } catch (Throwable t) {
          result.completeExceptionally(t);
        }
      });
    } catch (RejectedExecutionException rejected) {
      result.completeExceptionally(rejected);
    }
    return result;
  }

  /** Waits for the loader's future; its failure travels in an {@link AsyncLoadFailure}. */
  private static <T> T awaitLoad(Supplier<CompletableFuture<T>> valueLoader) {
    CompletableFuture<T> future = valueLoader.get();
    if (future == null) {
      throw new IllegalStateException("the value loader returned no CompletableFuture");
    }
    try {
      return future.get();
    } catch (ExecutionException | CompletionException e) {
      throw new AsyncLoadFailure(e.getCause() != null ? e.getCause() : e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AsyncLoadFailure(e);
    }
  }

  /**
   * Carries the failure of an asynchronous load through Cachet's single-flight (whose loaders
   * throw no checked exceptions) to every waiter, which completes its future with the cause.
   */
  private static final class AsyncLoadFailure extends RuntimeException {
    AsyncLoadFailure(Throwable cause) {
      super(cause.toString(), cause, false, false);
    }
  }

  /**
   * Stores {@code value} for {@code key} in every tier (and, with Redis, tells the other
   * processes to drop their copies).
   *
   * @throws IllegalArgumentException when {@code value} is null and nulls are not allowed
   */
  @Override
  public void put(Object key, Object value) {
    cache.put(key, storable(value));
  }

  /**
   * Stores {@code value} unless {@code key} is present, atomically in this process (it takes
   * part in the key's single-flight).
   *
   * @return null when {@code value} was stored, otherwise the entry already present
   * @throws IllegalArgumentException when {@code value} is null and nulls are not allowed
   */
  @Override
  public ValueWrapper putIfAbsent(Object key, Object value) {
    StoredValue<Object> candidate = storable(value);
    boolean[] storedHere = {false};
    StoredValue<Object> present = cache.get(key, k -> {
      storedHere[0] = true;
      return candidate;
    });
    return storedHere[0] ? null : new SimpleValueWrapper(present.value());
  }

  /** Removes the entry for {@code key} from every tier (and every process, with Redis). */
  @Override
  public void evict(Object key) {
    cache.invalidate(key);
  }

  /**
   * Like {@link #evict(Object)}; returns whether this process held the entry in memory (an
   * entry only in a lower tier is removed too, but may not be counted).
   */
  @Override
  public boolean evictIfPresent(Object key) {
    return cache.invalidate(key);
  }

  /** Removes every entry of this cache, in every tier (and every process, with Redis). */
  @Override
  public void clear() {
    cache.invalidateAll();
  }

  /**
   * Like {@link #clear()}, which already takes effect before it returns; returns whether this
   * process held entries of the cache in memory.
   */
  @Override
  public boolean invalidate() {
    boolean hadEntries = cache.estimatedSize() > 0;
    cache.invalidateAll();
    return hadEntries;
  }

  private StoredValue<Object> storable(Object value) {
    if (value == null && !allowNullValues) {
      throw new IllegalArgumentException("Cache '" + name + "' does not allow null values, but"
          + " null was to be stored. Allow them (CachetCacheManager.Builder.allowNullValues(true),"
          + " property cachet.allow-null-values=true) or use @Cacheable(unless = \"#result =="
          + " null\").");
    }
    return new StoredValue<>(value);
  }

  @Override
  public String toString() {
    return "CachetSpringCache[" + cache + "]";
  }
}
