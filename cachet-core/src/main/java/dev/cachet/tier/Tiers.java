package dev.cachet.tier;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The opened tiers below memory of one {@code Cachet}, fastest first, with each tier's limits
 * and the coherence services the shared ones offer. Internal: the memoization engine reads
 * through it; users see {@code Cachet.tiers()}.
 */
public final class Tiers {
  private static final System.Logger LOG = System.getLogger(Tiers.class.getName());
  private static final Tiers NONE = new Tiers(List.of(), List.of());

  private final List<Store> stores;
  private final List<TierConfig> configs;
  private final List<InvalidationBus> buses = new ArrayList<>();
  private final java.util.Map<String, InvalidationBus> busesByStore =
      new java.util.LinkedHashMap<>();
  private final int firstShared;
  private final FleetFlight fleetFlight;

  /**
   * @param stores the stores, fastest first
   * @param configs each store's configuration, in the same order
   */
  public Tiers(List<Store> stores, List<TierConfig> configs) {
    if (stores.size() != configs.size()) {
      throw new IllegalArgumentException("one TierConfig per store");
    }
    this.stores = List.copyOf(stores);
    this.configs = List.copyOf(configs);
    int shared = this.stores.size();
    FleetFlight flight = null;
    for (int i = 0; i < this.stores.size(); i++) {
      Optional<InvalidationBus> bus = this.stores.get(i).invalidationBus();
      if (bus.isPresent()) {
        buses.add(bus.get());
        busesByStore.put(this.stores.get(i).describe(), bus.get());
        shared = Math.min(shared, i);
      }
      if (flight == null) {
        flight = this.stores.get(i).fleetFlight().orElse(null);
      }
    }
    this.firstShared = shared;
    this.fleetFlight = flight;
  }

  /** No tiers: memory only. */
  public static Tiers none() {
    return NONE;
  }

  /** Whether there is no tier below memory. */
  public boolean isEmpty() {
    return stores.isEmpty();
  }

  /** The stores, fastest first. */
  public List<Store> stores() {
    return stores;
  }

  /** The stores only this host sees (above the first shared one): the ones a bus keeps coherent. */
  public List<Store> localStores() {
    return stores.subList(0, firstShared);
  }

  /** Whether some tier has an invalidation bus, so remote invalidations must be applied here. */
  public boolean coherent() {
    return !buses.isEmpty();
  }

  /** The buses of the shared tiers. */
  public List<InvalidationBus> buses() {
    return List.copyOf(buses);
  }

  /** The buses by the description of the shared store that offers each. */
  public java.util.Map<String, InvalidationBus> busesByStore() {
    return java.util.Collections.unmodifiableMap(busesByStore);
  }

  /** Single-flight across processes, when a shared tier offers it. */
  public Optional<FleetFlight> fleetFlight() {
    return Optional.ofNullable(fleetFlight);
  }

  /**
   * How long tier {@code index} keeps an entry, in millis (0 for no limit): its own
   * {@code expireAfterWrite}, else memory's.
   */
  public long ttlMillis(int index, long memoryTtlMillis) {
    var own = configs.get(index).expireAfterWrite();
    return own == null ? memoryTtlMillis : Math.max(1, own.toMillis());
  }

  /** Tells every other process about an invalidation done here. Never throws. */
  public void publish(Invalidation invalidation) {
    for (InvalidationBus bus : buses) {
      try {
        bus.publish(invalidation);
      } catch (RuntimeException e) {
        // The bus promises not to throw; a broken one must still not fail the caller's call.
        LOG.log(System.Logger.Level.WARNING, "invalidation bus failed to publish "
            + invalidation + ": " + e);
      }
    }
  }
}
