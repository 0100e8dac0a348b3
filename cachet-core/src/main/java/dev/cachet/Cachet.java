package dev.cachet;

import dev.cachet.memo.CacheConfig;
import dev.cachet.memo.MemoCache;
import dev.cachet.memo.MemoFactory;
import dev.cachet.stats.CacheStats;
import dev.cachet.tier.Invalidation;
import dev.cachet.tier.InvalidationBus;
import dev.cachet.tier.Store;
import dev.cachet.tier.StoreTier;
import dev.cachet.tier.TierConfig;
import dev.cachet.tier.Tiers;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
  private static final System.Logger LOG = System.getLogger(Cachet.class.getName());

  private final CacheConfig defaults;
  private final Tiers tiers;
  private final MemoFactory factory;
  private final Map<String, List<MemoCache>> caches = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final List<java.util.function.Consumer<String>> newNameListeners =
      new CopyOnWriteArrayList<>();

  private Cachet(CacheConfig defaults) {
    this.defaults = defaults;
    this.tiers = openTiers(defaults.tiers());
    this.factory = new MemoFactory(defaults, tiers, this::register);
    for (InvalidationBus bus : tiers.buses()) {
      bus.subscribe(this::applyRemote);
    }
    catchUpLocalTiers();
    // Saved now as well as at close: after a crash, the next run replays from here.
    saveLocalTierPositions();
  }

  private void register(MemoCache cache) {
    boolean[] newName = {false};
    caches.computeIfAbsent(cache.name(), n -> {
      newName[0] = true;
      return new CopyOnWriteArrayList<>();
    }).add(cache);
    if (newName[0]) {
      for (java.util.function.Consumer<String> listener : newNameListeners) {
        try {
          listener.accept(cache.name());
        } catch (RuntimeException e) {
          // Monitoring must not break the code creating a cache.
          LOG.log(System.Logger.Level.WARNING, "a listener of new cache names failed on "
              + cache.name(), e);
        }
      }
    }
  }

  /** Where local tiers keep how far they have applied a bus's invalidation log. */
  private static final String COHERENCE_NAMESPACE = "cachet:coherence";

  /**
   * Local stores that outlive the process (disk) may hold entries other processes invalidated
   * while this one was down. Each bus replays its log from the position saved at the last close;
   * without a saved position, or a bus that cannot replay, a non-empty local store is flushed,
   * since nobody can tell which of its entries are stale.
   */
  private void catchUpLocalTiers() {
    if (tiers.localStores().isEmpty()) {
      return;
    }
    tiers.busesByStore().forEach((sharedStore, bus) -> {
      String digest = dev.cachet.key.KeyDigest.sha256Hex(sharedStore, false);
      for (Store local : tiers.localStores()) {
        String position = savedPosition(local, digest);
        if (position != null && bus.replayFrom(position)) {
          continue;
        }
        if (local.stats().entries() > 0) {
          LOG.log(System.Logger.Level.WARNING, local.describe() + " may hold entries that other"
              + " processes invalidated while this one was not listening to " + sharedStore
              + (position == null ? " (no saved position in its invalidation log)"
                  : " (its log cannot be replayed)") + ": clearing it");
          local.clear();
        }
      }
    });
  }

  private static String savedPosition(Store local, String digest) {
    byte[] bytes = local.get(COHERENCE_NAMESPACE, digest);
    if (bytes == null) {
      return null;
    }
    try {
      dev.cachet.codec.EntryFrame frame = dev.cachet.codec.EntryFrame.decode(bytes);
      return new String(frame.payload(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (dev.cachet.codec.CorruptEntryException e) {
      return null;
    }
  }

  private void saveLocalTierPositions() {
    if (tiers.localStores().isEmpty()) {
      return;
    }
    tiers.busesByStore().forEach((sharedStore, bus) -> {
      String position = bus.position();
      if (position == null) {
        return;
      }
      String digest = dev.cachet.key.KeyDigest.sha256Hex(sharedStore, false);
      byte[] frame = new dev.cachet.codec.EntryFrame(dev.cachet.codec.Utf8Codec.ID,
          "invalidation-log-position", System.currentTimeMillis(), 0, List.of(),
          position.getBytes(java.nio.charset.StandardCharsets.UTF_8)).encode();
      for (Store local : tiers.localStores()) {
        local.put(COHERENCE_NAMESPACE, digest, frame, 0, List.of());
      }
    });
  }

  /** Opens the tiers: local ones in the order given, then shared (Redis) ones below them. */
  private static Tiers openTiers(List<TierConfig> configs) {
    List<TierConfig> ordered = new ArrayList<>();
    configs.stream().filter(t -> !t.shared()).forEach(ordered::add);
    configs.stream().filter(TierConfig::shared).forEach(ordered::add);
    List<Store> opened = new ArrayList<>();
    try {
      for (TierConfig tier : ordered) {
        opened.add(TierProviders.open(tier));
      }
    } catch (RuntimeException e) {
      opened.forEach(Store::close);
      throw e;
    }
    return new Tiers(opened, ordered);
  }

  /**
   * Drops from this host (memory and local stores) what another process invalidated. Local
   * stores are cleaned even when no cache of this process uses the namespace yet: they may hold
   * entries from an earlier run.
   */
  private void applyRemote(Invalidation invalidation) {
    try {
      switch (invalidation.scope()) {
        case KEY, NAMESPACE -> forEachCache(c -> {
          if (c.tiers() != null && c.tiers().namespace().equals(invalidation.namespace())) {
            c.applyRemote(invalidation);
          }
        });
        case TAG -> forEachCache(c -> {
          if (c.config().tags().contains(invalidation.tag())) {
            c.applyRemote(invalidation);
          }
        });
        case ALL -> forEachCache(c -> c.applyRemote(invalidation));
      }
      for (Store local : tiers.localStores()) {
        switch (invalidation.scope()) {
          case KEY -> local.remove(invalidation.namespace(), invalidation.digest());
          case NAMESPACE -> local.removeNamespace(invalidation.namespace());
          case TAG -> local.removeTag(invalidation.tag());
          case ALL -> local.clear();
        }
      }
    } catch (RuntimeException e) {
      // Runs on the bus's thread: a failure here must not stop later invalidations.
      LOG.log(System.Logger.Level.WARNING, "could not apply " + invalidation, e);
    }
  }

  private void forEachCache(java.util.function.Consumer<MemoCache> action) {
    caches.values().forEach(list -> list.forEach(action));
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

  /**
   * Drops every entry of every cache named {@code name}, in every tier and (through a shared
   * tier's bus) in every process; returns how many caches had that name.
   */
  public int invalidateAll(String name) {
    return invalidateAll(name, "invalidateAll(" + name + ")");
  }

  /**
   * Like {@link #invalidateAll(String)}, recording {@code reason} in the invalidation audit (see
   * {@code cachet audit}).
   */
  public int invalidateAll(String name, String reason) {
    Objects.requireNonNull(reason, "reason");
    List<MemoCache> named = caches.getOrDefault(name, List.of());
    named.forEach(c -> c.invalidateAll(reason));
    return named.size();
  }

  /** Drops every entry of every cache of this Cachet, in every tier and every process. */
  public void invalidateAll() {
    forEachCache(c -> c.invalidateAll("invalidateAll()"));
  }

  /**
   * Drops every entry tagged {@code tag} (see {@link CacheSpec#tags}): in this process's
   * caches, in every tier, and through a shared tier's bus in every other process.
   *
   * @return how many of this process's caches carried the tag
   */
  public int invalidateTag(String tag) {
    return invalidateTag(tag, "invalidateTag(" + tag + ")");
  }

  /** Like {@link #invalidateTag(String)}, recording {@code reason} in the invalidation audit. */
  public int invalidateTag(String tag, String reason) {
    Objects.requireNonNull(tag, "invalidateTag(tag) needs a tag");
    Objects.requireNonNull(reason, "reason");
    int[] count = {0};
    forEachCache(c -> {
      if (c.config().tags().contains(tag)) {
        c.invalidateLocalMemory();
        count[0]++;
      }
    });
    for (Store store : tiers.stores()) {
      store.removeTag(tag);
    }
    tiers.publish(Invalidation.tag(tag, reason));
    return count[0];
  }

  /** Statistics of every cache, by name (caches sharing a name are listed together, summed). */
  public Map<String, CacheStats> stats() {
    Map<String, CacheStats> out = new TreeMap<>();
    caches.forEach((name, list) -> out.put(name, list.stream().map(MemoCache::stats)
        .reduce(Cachet::sum).orElseThrow()));
    return out;
  }

  /**
   * Statistics of the caches named {@code name}, summed, without computing every other cache's
   * (as {@link #stats()} does): for monitoring systems that read one cache at a time.
   *
   * @param name a cache name, as {@link #stats()} lists it; null finds nothing
   * @return the summed statistics, or empty when no cache of this Cachet has that name (yet)
   */
  public java.util.Optional<CacheStats> stats(String name) {
    List<MemoCache> named = name == null ? null : caches.get(name);
    if (named == null || named.isEmpty()) {
      return java.util.Optional.empty();
    }
    return named.stream().map(MemoCache::stats).reduce(Cachet::sum);
  }

  /**
   * Calls {@code listener} with each cache name this Cachet gets from now on: when the first
   * cache of a name is created (by {@code memoize}, {@code function(...)}, {@code cache} or
   * {@code proxy}), after it is registered, so {@link #stats(String)} finds it. For monitoring
   * systems that must follow caches created later (cachet-micrometer's {@code monitorAll}).
   * Called synchronously on the creating thread, so it must be quick; an exception it throws is
   * logged and does not fail the creation. Listeners stay registered for the life of this Cachet.
   *
   * @param listener receives each new name; not null
   */
  public void onNewCacheName(java.util.function.Consumer<String> listener) {
    newNameListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private static CacheStats sum(CacheStats a, CacheStats b) {
    Map<String, Long> byTier = new java.util.LinkedHashMap<>(a.hitsByTier());
    b.hitsByTier().forEach((tier, hits) -> byTier.merge(tier, hits, Long::sum));
    return new CacheStats(a.hits() + b.hits(), a.misses() + b.misses(),
        a.loadSuccesses() + b.loadSuccesses(), a.loadFailures() + b.loadFailures(),
        a.totalLoadTimeNanos() + b.totalLoadTimeNanos(), a.evictionsBySize() + b.evictionsBySize(),
        a.expirations() + b.expirations(), a.invalidations() + b.invalidations(),
        a.size() + b.size(), a.weight() + b.weight(), byTier);
  }

  /** The tiers below memory, fastest first; empty for a memory-only Cachet. */
  public List<Store> tiers() {
    return tiers.stores();
  }

  /**
   * The engine that keeps framed entries across this Cachet's tiers below memory, for
   * integrations that store entries of their own there (the LLM cache): lookups that honour
   * each tier's lifetime and promote, writes with each tier's lifetime, removals published to
   * other processes, counts by tier. Each call returns a new engine with counts of its own;
   * tiers without an {@code expireAfterWrite} of their own keep entries for this Cachet's
   * {@code expireAfterWrite}, and entries are stamped with its {@code clock}.
   *
   * @return a new engine; over no tier for a memory-only Cachet
   */
  public dev.cachet.tier.TierEngine tierEngine() {
    return factory.tierEngine();
  }

  /**
   * The most recent invalidations recorded by the shared tiers' buses (who, what, when, why),
   * newest first; empty without a shared tier.
   */
  public List<Invalidation> recentInvalidations(int limit) {
    List<Invalidation> out = new ArrayList<>();
    for (InvalidationBus bus : tiers.buses()) {
      out.addAll(bus.recent(limit));
    }
    out.sort(java.util.Comparator.comparingLong(Invalidation::atMillis).reversed());
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : List.copyOf(out);
  }

  /**
   * Closes the tiers below memory (files, connections), including stores passed to
   * {@link Builder#store(Store)}. Memoized functions keep working from memory afterwards, but
   * must not be used with tiers: close a Cachet when the application stops. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      saveLocalTierPositions();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not save the invalidation log positions", e);
    }
    tiers.stores().forEach(Store::close);
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
     * Sets the wall clock that stamps entries written below memory and decides when they
     * expire there. Entries in disk and Redis carry wall-clock times because other processes
     * read them; tests pass a controllable clock together with a {@link #ticker(Ticker)}.
     * A store keeps its own clock for its own housekeeping (a disk store's is set with
     * {@code DiskStoreOptions.builder().clock(...)}).
     *
     * @param clock the clock; the default is {@code Clock.systemUTC()}
     */
    public Builder clock(Clock clock) {
      Objects.requireNonNull(clock, "clock must not be null; the default is Clock.systemUTC()");
      return with(m -> m.clock = clock);
    }

    /**
     * Adds a tier below memory (below any local tier added before; shared tiers such as Redis
     * go below every local one): a {@code DiskTier} (cachet-disk), a {@code RedisTier}
     * (cachet-redis), or a {@link StoreTier} over a store of your own. Cachet opens it at
     * {@link #build()} and closes it in {@link Cachet#close()}.
     *
     * <p>With a tier below memory, every memoized function needs a code fingerprint (a lambda
     * or method reference passed straight to {@code memoize}) or a version, so that changed code
     * never reads the results of the old one.
     *
     * <pre>{@code
     * Cachet.builder()
     *     .expireAfterWrite(Duration.ofMinutes(10))
     *     .tier(DiskTier.in(Path.of(".cachet")).expireAfterWrite(Duration.ofDays(7)))
     *     .tier(RedisTier.at("redis://127.0.0.1:6379"))
     *     .build();
     * }</pre>
     *
     * @throws NullPointerException when {@code tier} is null
     */
    public Builder tier(TierConfig tier) {
      Objects.requireNonNull(tier, "tier(config) needs a tier configuration, such as"
          + " DiskTier.in(directory) or RedisTier.at(uri)");
      return with(m -> m.tiers.add(tier));
    }

    /**
     * Adds a persistent store in {@code directory} below memory with the disk tier's defaults:
     * the same as {@code tier(DiskTier.in(directory))}, without a compile-time dependency on
     * cachet-disk (which must be on the class or module path). Results survive restarts and are
     * shared by the processes that use the same directory.
     *
     * @throws IllegalStateException when cachet-disk is not on the class or module path
     */
    public Builder disk(Path directory) {
      Objects.requireNonNull(directory, "disk(directory) needs a directory");
      return tier(TierProviders.config(TierProviders.DISK_TIER, directory.toString(), "disk",
          "cachet-disk"));
    }

    /**
     * Adds Redis below memory and disk with the Redis tier's defaults: the same as
     * {@code tier(RedisTier.at(uri))}, without a compile-time dependency on cachet-redis (which
     * must be on the class or module path). Results are shared by every process using the
     * server, and invalidations reach every process's local tiers.
     *
     * @param uri {@code redis://[user:password@]host:port[/db]}, {@code rediss://} for TLS,
     *     {@code redis-sentinel://...} or several hosts for Cluster (see the cachet-redis
     *     documentation)
     * @throws IllegalStateException when cachet-redis is not on the class or module path
     */
    public Builder redis(String uri) {
      Objects.requireNonNull(uri, "redis(uri) needs a URI such as redis://127.0.0.1:6379");
      return tier(TierProviders.config(TierProviders.REDIS_TIER, uri, "redis", "cachet-redis"));
    }

    /**
     * Adds a store of your own below memory: the same as {@code tier(StoreTier.of(store))};
     * see {@link Store}.
     */
    public Builder store(Store store) {
      return tier(StoreTier.of(store));
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
