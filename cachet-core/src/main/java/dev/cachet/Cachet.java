package dev.cachet;

import dev.cachet.memo.CacheConfig;
import dev.cachet.memo.MemoCache;
import dev.cachet.memo.MemoFactory;
import dev.cachet.memo.MemoizedBiFunction;
import dev.cachet.memo.MemoizedCallable;
import dev.cachet.memo.MemoizedFunction;
import dev.cachet.memo.MemoizedSupplier;
import dev.cachet.memo.SerializableBiFunction;
import dev.cachet.memo.SerializableFunction;
import dev.cachet.memo.SerializableSupplier;
import dev.cachet.stats.CacheStats;
import dev.cachet.tier.Store;
import dev.cachet.tier.StoreProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The entry point: memoizes functions, proxies interfaces and builds caches, all sharing the
 * defaults given to its {@link Builder}. Thread-safe; create one per application (or per
 * subsystem) and keep it.
 *
 * <pre>{@code
 * Cachet cachet = Cachet.builder()
 *     .maximumSize(10_000)
 *     .expireAfterWrite(Duration.ofMinutes(10))
 *     .build();
 *
 * MemoizedFunction<String, User> extract = cachet.memoize("extract", this::extractUser);
 * extract.apply("jason is 25");   // runs extractUser
 * extract.apply("jason is 25");   // served from the cache
 * extract.cacheInfo();            // CacheInfo(hits=1, misses=1, maxsize=10000, currsize=1)
 * }</pre>
 *
 * <p>Every function gets its own cache, named by the caller. Names need not be unique; caches
 * sharing a name are invalidated together by {@link #invalidateAll(String)}.
 */
public final class Cachet implements AutoCloseable {
  private final CacheConfig defaults;
  private final List<Store> stores;
  private final MemoFactory factory;
  private final Map<String, List<MemoCache>> caches = new ConcurrentHashMap<>();

  private Cachet(CacheConfig defaults) {
    this.defaults = defaults;
    this.stores = openTiers(defaults.tiers());
    this.factory = new MemoFactory(defaults, stores,
        c -> caches.computeIfAbsent(c.name(), n -> new CopyOnWriteArrayList<>()).add(c));
  }

  private static List<Store> openTiers(List<Object> tiers) {
    List<Store> opened = new ArrayList<>();
    try {
      for (Object tier : tiers) {
        opened.add(tier instanceof Store store ? store : openDisk((Path) tier));
      }
    } catch (RuntimeException e) {
      opened.forEach(Store::close);
      throw e;
    }
    return List.copyOf(opened);
  }

  private static Store openDisk(Path path) {
    for (StoreProvider provider : ServiceLoader.load(StoreProvider.class,
        Cachet.class.getClassLoader())) {
      if (provider.kind().equals("disk")) {
        return provider.open(path);
      }
    }
    throw new IllegalStateException("disk(" + path + ") needs the cachet-disk module, which is"
        + " not on the class path. Add the dependency dev.cachet:cachet-disk.");
  }

  /** A builder with the defaults: adaptive policy, 10,000 entries per cache, no expiry. */
  public static Builder builder() {
    return new Builder(CacheConfig.defaults());
  }

  /** A Cachet with the default settings. */
  public static Cachet create() {
    return builder().build();
  }

  /** Memoizes a one-argument lambda or method reference under {@code name}. */
  public <A, R> MemoizedFunction<A, R> memoize(String name, SerializableFunction<A, R> function) {
    return factory.function(name, defaults, function);
  }

  /** Memoizes a one-argument function under {@code name}. */
  public <A, R> MemoizedFunction<A, R> memoize(String name, Function<A, R> function) {
    return factory.function(name, defaults, function);
  }

  /** Memoizes a two-argument lambda or method reference under {@code name}. */
  public <A, B, R> MemoizedBiFunction<A, B, R> memoize(String name,
      SerializableBiFunction<A, B, R> function) {
    return factory.biFunction(name, defaults, function);
  }

  /** Memoizes a two-argument function under {@code name}. */
  public <A, B, R> MemoizedBiFunction<A, B, R> memoize(String name, BiFunction<A, B, R> function) {
    return factory.biFunction(name, defaults, function);
  }

  /**
   * Memoizes a zero-argument lambda or method reference under {@code name}. A lambda whose body
   * throws a checked exception must be passed as a {@link Callable} variable.
   */
  public <R> MemoizedSupplier<R> memoize(String name, SerializableSupplier<R> supplier) {
    return factory.supplier(name, defaults, supplier);
  }

  /** Memoizes a supplier under {@code name}. */
  public <R> MemoizedSupplier<R> memoize(String name, Supplier<R> supplier) {
    return factory.supplier(name, defaults, supplier);
  }

  /** Memoizes a callable under {@code name}; its checked exceptions reach the caller unchanged. */
  public <R> MemoizedCallable<R> memoize(String name, Callable<R> callable) {
    return factory.callable(name, defaults, callable);
  }

  /**
   * Starts the settings of one cache, from this Cachet's defaults; end with
   * {@code memoize(...)} or {@code cache()}.
   */
  public CacheSpec function(String name) {
    Objects.requireNonNull(name, "function(name) needs a name");
    return new CacheSpec(factory, name, defaults);
  }

  /** A plain key-value cache with this Cachet's defaults. */
  public <K, V> Cache<K, V> cache(String name) {
    return factory.cache(name, defaults);
  }

  /**
   * Returns an implementation of {@code iface} whose {@link Memoize}-annotated methods are
   * cached, each in its own cache, and whose other methods call {@code impl} directly.
   * {@code equals} is true between proxies of equal implementations; {@code hashCode} and
   * {@code toString} are the implementation's.
   *
   * @throws IllegalArgumentException when {@code iface} is not an interface, {@code impl} does
   *     not implement it, or an annotation is invalid (the message says which and why)
   */
  public <T> T proxy(Class<T> iface, T impl) {
    return factory.proxy(iface, impl);
  }

  /** Drops every entry of every cache named {@code name}; returns how many caches had that name. */
  public int invalidateAll(String name) {
    List<MemoCache> named = caches.getOrDefault(name, List.of());
    named.forEach(MemoCache::invalidateAll);
    return named.size();
  }

  /** Drops every entry of every cache of this Cachet. */
  public void invalidateAll() {
    caches.values().forEach(list -> list.forEach(MemoCache::invalidateAll));
  }

  /** Statistics of every cache, by name (caches sharing a name are listed together, summed). */
  public Map<String, CacheStats> stats() {
    Map<String, CacheStats> out = new TreeMap<>();
    caches.forEach((name, list) -> out.put(name, list.stream().map(MemoCache::stats)
        .reduce(Cachet::sum).orElseThrow()));
    return out;
  }

  private static CacheStats sum(CacheStats a, CacheStats b) {
    return new CacheStats(a.hits() + b.hits(), a.misses() + b.misses(),
        a.loadSuccesses() + b.loadSuccesses(), a.loadFailures() + b.loadFailures(),
        a.totalLoadTimeNanos() + b.totalLoadTimeNanos(), a.evictionsBySize() + b.evictionsBySize(),
        a.expirations() + b.expirations(), a.invalidations() + b.invalidations(),
        a.size() + b.size(), a.weight() + b.weight());
  }

  /** The tiers below memory, fastest first; empty for a memory-only Cachet. */
  public List<Store> tiers() {
    return stores;
  }

  /**
   * Closes the tiers below memory (files, connections), including stores passed to
   * {@link Builder#store(Store)}. Memoized functions keep working from memory afterwards, but
   * must not be used with tiers: close a Cachet when the application stops. Idempotent.
   */
  @Override
  public void close() {
    stores.forEach(Store::close);
  }

  @Override
  public String toString() {
    return "Cachet[" + defaults.describe() + ", caches=" + caches.keySet() + "]";
  }

  /**
   * Builds a {@link Cachet}. Immutable: every setter returns a new builder, so one can serve as
   * a template for several. Without any bound, caches hold at most 10,000 entries each; call
   * {@link #unbounded()} to lift that.
   */
  public static final class Builder extends CacheOptions<Builder> {

    Builder(CacheConfig config) {
      super(config);
    }

    @Override
    Builder copy(CacheConfig config) {
      return new Builder(config);
    }

    /** Sets the time source for expiry and load timing; tests pass a controllable one. */
    public Builder ticker(Ticker ticker) {
      Objects.requireNonNull(ticker, "ticker must not be null; the default is Ticker.system()");
      return with(m -> m.ticker = ticker);
    }

    /**
     * Adds a persistent store in {@code directory} below memory (needs the cachet-disk module):
     * results survive restarts and are shared by the processes that use the same directory.
     * Every memoized function then needs a code fingerprint (a lambda or method reference
     * passed straight to {@code memoize}) or a version, so that changed code never reads the
     * results of the old one.
     */
    public Builder disk(Path directory) {
      Objects.requireNonNull(directory, "disk(directory) needs a directory");
      return with(m -> m.tiers.add(directory));
    }

    /** Adds a store of your own below memory (below any added before); see {@link Store}. */
    public Builder store(Store store) {
      Objects.requireNonNull(store, "store");
      return with(m -> m.tiers.add(store));
    }

    /** Logs each hit below memory with its tier, to see where results come from. */
    public Builder verbose(boolean verbose) {
      return with(m -> m.verbose = verbose);
    }

    /**
     * Builds the Cachet, opening its tiers.
     *
     * @throws RuntimeException naming the path and the reason when a disk store cannot be used
     */
    public Cachet build() {
      return new Cachet(config.inheritable());
    }
  }
}
