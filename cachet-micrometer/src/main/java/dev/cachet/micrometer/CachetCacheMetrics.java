package dev.cachet.micrometer;

import dev.cachet.Cachet;
import dev.cachet.stats.CacheStats;
import dev.cachet.tier.Store;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Binds the statistics of one cache of a {@link Cachet} (a name that {@link Cachet#stats()}
 * lists) to a Micrometer registry, under Micrometer's standard cache meter names so that
 * dashboards made for other caches work unchanged, plus Cachet's own meters:
 *
 * <ul>
 *   <li>{@code cache.gets} tagged {@code result=hit|miss}, {@code cache.puts},
 *       {@code cache.evictions} (size and expiry), {@code cache.size};
 *   <li>{@code cache.load} tagged {@code result=success|failure} and {@code cache.load.duration}
 *       (total time spent loading), as Micrometer's Caffeine binder names them;
 *   <li>{@code cachet.tier.hits} tagged {@code tier=memory} and one value per tier below memory
 *       ({@code disk:/path}, {@code redis:redis://host:6379 ...}; URI user information is
 *       removed);
 *   <li>{@code cachet.removals} tagged {@code cause=size|expired|explicit}.
 * </ul>
 *
 * <p>Every meter carries {@code cache=<name>} and the given tags. The meters read Cachet's own
 * counters when the registry asks (functional meters): binding adds no work to a cache call.
 * The {@code Cachet} is referenced weakly, as Micrometer's binders reference their caches, so a
 * registry never keeps a discarded Cachet alive; its counters then keep their last reading and
 * its gauges read NaN.
 *
 * <p>A name may be bound before any cache of that name exists: its meters read 0 until one is
 * created. Caches sharing a name are reported together, summed, as {@link Cachet#stats()} does.
 * {@code cache.puts} counts values loaded successfully (as Micrometer's Caffeine binder counts
 * loads); explicit {@code Cache.put} calls are not counted.
 */
public final class CachetCacheMetrics extends CacheMeterBinder<Cachet> {
  private final String cacheName;
  /** Tier descriptions as {@code hitsByTier} keys them, mapped to their tag values. */
  private final Map<String, String> tiers = new LinkedHashMap<>();

  /**
   * A binder for one cache.
   *
   * @param cachet the Cachet holding the cache; held weakly; not null
   * @param cacheName the cache's name, as {@link Cachet#stats()} lists it; not null
   * @param tags tags added to every meter; null for none
   */
  public CachetCacheMetrics(Cachet cachet, String cacheName, Iterable<Tag> tags) {
    super(Objects.requireNonNull(cachet, "cachet"),
        Objects.requireNonNull(cacheName, "cacheName"), tags);
    this.cacheName = cacheName;
    tiers.put(TierNames.MEMORY, TierNames.MEMORY);
    for (Store store : cachet.tiers()) {
      tiers.put(store.describe(), TierNames.tagValue(store.describe()));
    }
  }

  /**
   * Binds the meters of one cache to {@code registry}.
   *
   * @param registry where to register the meters; not null
   * @param cachet the Cachet holding the cache; not null
   * @param cacheName the cache's name; not null
   * @param tags extra tags as key-value pairs ({@code "app", "shop"}); an even number
   * @return {@code cachet}, for chaining
   * @throws IllegalArgumentException when {@code tags} has an odd number of elements
   */
  public static Cachet monitor(MeterRegistry registry, Cachet cachet, String cacheName,
      String... tags) {
    new CachetCacheMetrics(cachet, cacheName, Tags.of(tags)).bindTo(registry);
    return cachet;
  }

  /**
   * Binds the meters of every cache of {@code cachet}, those it holds now and those created
   * later (through {@link Cachet#onNewCacheName}), plus the meters of its tiers below memory
   * ({@link CachetTierMetrics}). The Cachet then holds {@code registry} for its lifetime, to
   * register the meters of new caches in it.
   *
   * @param registry where to register the meters; not null
   * @param cachet the Cachet; not null
   * @param tags extra tags as key-value pairs; an even number
   * @return {@code cachet}, for chaining
   * @throws IllegalArgumentException when {@code tags} has an odd number of elements
   */
  public static Cachet monitorAll(MeterRegistry registry, Cachet cachet, String... tags) {
    Objects.requireNonNull(registry, "registry");
    Tags extra = Tags.of(tags);
    // Listening first, so that a cache created meanwhile is bound by one path or both (a meter
    // registered twice is the same meter).
    cachet.onNewCacheName(name -> bindCache(registry, cachet, name, extra));
    for (String name : cachet.stats().keySet()) {
      bindCache(registry, cachet, name, extra);
    }
    new CachetTierMetrics(cachet, extra).bindTo(registry);
    return cachet;
  }

  private static void bindCache(MeterRegistry registry, Cachet cachet, String name, Tags tags) {
    new CachetCacheMetrics(cachet, name, tags).bindTo(registry);
  }

  @Override
  protected Long size() {
    return read(getCache(), CacheStats::size);
  }

  @Override
  protected long hitCount() {
    return read(getCache(), CacheStats::hits);
  }

  @Override
  protected Long missCount() {
    return read(getCache(), CacheStats::misses);
  }

  @Override
  protected Long evictionCount() {
    return read(getCache(), CacheStats::evictions);
  }

  @Override
  protected long putCount() {
    return read(getCache(), CacheStats::loadSuccesses);
  }

  @Override
  protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
    Cachet cachet = getCache();
    if (cachet == null) {
      return;
    }
    Iterable<Tag> tags = getTagsWithCacheName();
    TimeGauge.builder("cache.load.duration", cachet, TimeUnit.NANOSECONDS,
            c -> read(c, CacheStats::totalLoadTimeNanos))
        .tags(tags)
        .description("Time spent loading values, successfully or not")
        .register(registry);
    loads(registry, cachet, tags, "success", CacheStats::loadSuccesses);
    loads(registry, cachet, tags, "failure", CacheStats::loadFailures);

    tiers.forEach((description, tagValue) ->
        FunctionCounter.builder("cachet.tier.hits", cachet, c -> tierHits(c, description))
            .tags(tags)
            .tag("tier", tagValue)
            .description("Hits by the tier that served them")
            .register(registry));

    removals(registry, cachet, tags, "size", CacheStats::evictionsBySize);
    removals(registry, cachet, tags, "expired", CacheStats::expirations);
    removals(registry, cachet, tags, "explicit", CacheStats::invalidations);
  }

  // One description per meter name: Prometheus keeps a single help text per metric family.
  private void loads(MeterRegistry registry, Cachet cachet, Iterable<Tag> tags, String result,
      ToLongFunction<CacheStats> count) {
    FunctionCounter.builder("cache.load", cachet, c -> read(c, count))
        .tags(tags)
        .tag("result", result)
        .description("Loads that returned a value, null included (success), or threw (failure)")
        .register(registry);
  }

  private void removals(MeterRegistry registry, Cachet cachet, Iterable<Tag> tags, String cause,
      ToLongFunction<CacheStats> count) {
    FunctionCounter.builder("cachet.removals", cachet, c -> read(c, count))
        .tags(tags)
        .tag("cause", cause)
        .description("Entries removed by cause: evicted for the size bound (size), lifetime ran"
            + " out (expired), removed on request or by another process (explicit)")
        .register(registry);
  }

  private long tierHits(Cachet cachet, String description) {
    CacheStats stats = stats(cachet);
    if (stats == null) {
      return 0;
    }
    Map<String, Long> byTier = stats.hitsByTier();
    if (byTier.isEmpty()) {
      // A memory-only cache: every hit came from memory.
      return TierNames.MEMORY.equals(description) ? stats.hits() : 0;
    }
    return byTier.getOrDefault(description, 0L);
  }

  /** 0 before a cache of this name exists and after the Cachet is gone. */
  private long read(Cachet cachet, ToLongFunction<CacheStats> count) {
    CacheStats stats = stats(cachet);
    return stats == null ? 0 : count.applyAsLong(stats);
  }

  private CacheStats stats(Cachet cachet) {
    return cachet == null ? null : cachet.stats(cacheName).orElse(null);
  }
}
