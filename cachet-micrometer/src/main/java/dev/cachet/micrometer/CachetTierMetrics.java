package dev.cachet.micrometer;

import dev.cachet.Cachet;
import dev.cachet.tier.InvalidationBus;
import dev.cachet.tier.InvalidationCounts;
import dev.cachet.tier.Store;
import dev.cachet.tier.StoreStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Binds the meters of the tiers below memory of a {@link Cachet} (its disk and Redis stores),
 * one set per store, tagged {@code tier=<description>} (URI user information removed):
 *
 * <ul>
 *   <li>{@code cachet.store.gets} tagged {@code result=hit|miss}, {@code cachet.store.writes},
 *       {@code cachet.store.evictions} tagged {@code cause=size|expired},
 *       {@code cachet.store.corruptions}, {@code cachet.store.failures}: the store's own
 *       counters ({@link StoreStats}; a disk store's count every process sharing it);
 *   <li>{@code cachet.store.entries} and {@code cachet.store.size} (bytes) gauges, NaN when the
 *       store cannot tell (Redis: entries while unreachable; it keeps no byte count and reports
 *       0 bytes);
 *   <li>{@code cachet.store.circuit.open}: 1 while a circuit breaker makes calls skip the store
 *       (Redis after repeated failures), else 0 ({@link Store#isCircuitOpen()});
 *   <li>for a shared store with an invalidation bus (Redis): {@code cachet.invalidations.sent},
 *       {@code cachet.invalidations.send.failures} and {@code cachet.invalidations.received}
 *       tagged {@code delivery=live|replayed} ({@link InvalidationBus#counts()}).
 * </ul>
 *
 * <p>These meters are per Cachet, not per cache, so they carry no {@code cache} tag; bind them
 * once per Cachet ({@link CachetCacheMetrics#monitorAll} does). Each meter read calls the
 * store's {@code stats()}: for disk, a small query that also applies the pending write journal;
 * for Redis, counters in memory plus one {@code DBSIZE}. The Cachet and its stores are
 * referenced weakly. A store that can no longer answer (a closed disk store) reads NaN, which
 * registries skip; once it is collected, its gauges read NaN and its counters keep their last
 * counts.
 */
public final class CachetTierMetrics implements MeterBinder {
  // One description per meter name: Prometheus keeps a single help text per metric family.
  private static final String EVICTIONS =
      "Entries the store removed to respect its size limit (size) or because they expired";
  private static final String RECEIVED = "Invalidations from other processes, delivered as sent"
      + " (live) or from the log after a disconnection (replayed)";

  private final WeakReference<Cachet> cachetRef;
  private final Tags tags;

  /**
   * A binder for the tiers of one Cachet.
   *
   * @param cachet the Cachet whose tiers to watch (they never change after it is built); held
   *     weakly; not null
   * @param tags tags added to every meter; null for none
   */
  public CachetTierMetrics(Cachet cachet, Iterable<Tag> tags) {
    this.cachetRef = new WeakReference<>(Objects.requireNonNull(cachet, "cachet"));
    this.tags = Tags.of(tags);
  }

  /**
   * Registers the meters of every tier below memory; nothing for a memory-only Cachet or one
   * already discarded.
   *
   * @param registry where to register them; not null
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Cachet cachet = cachetRef.get();
    List<Store> stores = cachet == null ? List.of() : cachet.tiers();
    for (Store store : stores) {
      Tags storeTags = tags.and("tier", TierNames.tagValue(store.describe()));
      gets(registry, store, storeTags, "hit", StoreStats::hits);
      gets(registry, store, storeTags, "miss", StoreStats::misses);
      counter(registry, store, storeTags.and("cause", "size"), "cachet.store.evictions",
          StoreStats::evictions, EVICTIONS);
      counter(registry, store, storeTags.and("cause", "expired"), "cachet.store.evictions",
          StoreStats::expirations, EVICTIONS);
      counter(registry, store, storeTags, "cachet.store.writes", StoreStats::writes,
          "Entries stored");
      counter(registry, store, storeTags, "cachet.store.corruptions", StoreStats::corruptions,
          "Unreadable entries found and removed (each was a miss, never a wrong value)");
      counter(registry, store, storeTags, "cachet.store.failures", StoreStats::failures,
          "Operations that failed because of the store (I/O, locks, timeouts, skipped by an"
              + " open circuit breaker)");
      Gauge.builder("cachet.store.entries", store, s -> known(s, StoreStats::entries))
          .tags(storeTags)
          .description("Entries held by the store (Redis: keys in its database)")
          .register(registry);
      Gauge.builder("cachet.store.size", store, s -> known(s, StoreStats::bytes))
          .tags(storeTags)
          .baseUnit(BaseUnits.BYTES)
          .description("Bytes of entries held by the store (0 for Redis, which keeps no count)")
          .register(registry);
      Gauge.builder("cachet.store.circuit.open", store, s -> s.isCircuitOpen() ? 1 : 0)
          .tags(storeTags)
          .description("1 while a circuit breaker skips the store after repeated failures, else 0")
          .register(registry);
      store.invalidationBus().ifPresent(bus -> bindBus(registry, bus, storeTags));
    }
  }

  private static void bindBus(MeterRegistry registry, InvalidationBus bus, Tags busTags) {
    busCounter(registry, bus, busTags, "cachet.invalidations.sent", InvalidationCounts::sent,
        "Invalidations this process sent to the others (first attempts and resends)");
    busCounter(registry, bus, busTags, "cachet.invalidations.send.failures",
        InvalidationCounts::sendFailures,
        "Attempts to send an invalidation that failed (the bus keeps and resends what it can)");
    busCounter(registry, bus, busTags.and("delivery", "live"), "cachet.invalidations.received",
        InvalidationCounts::received, RECEIVED);
    busCounter(registry, bus, busTags.and("delivery", "replayed"),
        "cachet.invalidations.received", InvalidationCounts::replayed, RECEIVED);
  }

  private static void busCounter(MeterRegistry registry, InvalidationBus bus, Tags tags,
      String name, ToLongFunction<InvalidationCounts> count, String description) {
    FunctionCounter.builder(name, bus, b -> count.applyAsLong(b.counts()))
        .tags(tags)
        .description(description)
        .register(registry);
  }

  private static void gets(MeterRegistry registry, Store store, Tags storeTags, String result,
      ToLongFunction<StoreStats> count) {
    counter(registry, store, storeTags.and("result", result), "cachet.store.gets", count,
        "Reads of the store that returned an entry (hit) or nothing (miss)");
  }

  private static void counter(MeterRegistry registry, Store store, Tags tags, String name,
      ToLongFunction<StoreStats> count, String description) {
    FunctionCounter.builder(name, store, s -> counted(s, count))
        .tags(tags)
        .description(description)
        .register(registry);
  }

  /** A counter's value; NaN when the store cannot answer (closed), which Micrometer skips. */
  private static double counted(Store store, ToLongFunction<StoreStats> count) {
    StoreStats stats = statsOf(store);
    return stats == null ? Double.NaN : count.applyAsLong(stats);
  }

  /** A gauge's value; NaN for the -1 a store reports when it does not know. */
  private static double known(Store store, ToLongFunction<StoreStats> value) {
    StoreStats stats = statsOf(store);
    if (stats == null) {
      return Double.NaN;
    }
    long v = value.applyAsLong(stats);
    return v < 0 ? Double.NaN : v;
  }

  private static StoreStats statsOf(Store store) {
    try {
      return store.stats();
    } catch (RuntimeException e) {
      // Stores throw only for use after close; a scrape must not fail because of it.
      return null;
    }
  }
}
