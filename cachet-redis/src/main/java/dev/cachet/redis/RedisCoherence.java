package dev.cachet.redis;

import java.util.Objects;

/**
 * The coherence services of a Redis tier, opened together over one set of connections: the
 * {@link RedisInvalidationBus} and the {@link RedisFleetFlight}. A store offers them through
 * {@code Store.invalidationBus()} and {@code Store.fleetFlight()} and closes this with itself.
 *
 * <pre>{@code
 * try (RedisCoherence coherence = RedisCoherence.open("redis://cache:6379",
 *     CoherenceSettings.defaults())) {
 *   coherence.bus().subscribe(inv -> System.out.println("drop " + inv));
 *   coherence.bus().publish(Invalidation.tag("tenant-42", "tenant deleted"));
 * }
 * }</pre>
 */
public final class RedisCoherence implements AutoCloseable {
  private final RedisLinks links;
  private final boolean ownsLinks;
  private final RedisInvalidationBus bus;
  private final RedisFleetFlight fleetFlight;

  private RedisCoherence(RedisLinks links, boolean ownsLinks, CoherenceSettings settings) {
    this.links = links;
    this.ownsLinks = ownsLinks;
    this.bus = new RedisInvalidationBus(links, false, settings);
    RedisFleetFlight flight;
    try {
      flight = new RedisFleetFlight(links, false, settings);
    } catch (RuntimeException e) {
      bus.close();
      throw e;
    }
    this.fleetFlight = flight;
  }

  /**
   * Connects with a Lettuce client of its own (closed with this). The URI is read as a
   * {@link RedisStore}'s ({@link RedisStoreOptions#fromUri}); the prefix and command timeout
   * not set in {@code settings} come from it.
   *
   * @param uri such as {@code redis://host:6379?prefix=app}
   * @throws IllegalArgumentException when the URI cannot be read
   * @throws RuntimeException when Redis cannot be reached or subscribed to, naming it
   */
  public static RedisCoherence open(String uri, CoherenceSettings settings) {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(settings, "settings");
    return ClientLinks.openOwned(uri, settings,
        (links, resolved) -> new RedisCoherence(links, true, resolved));
  }

  /**
   * Over connections lent by a store ({@code links}), which stay open after {@link #close()}.
   * Opens two pub/sub connections of its own.
   */
  static RedisCoherence over(RedisLinks links, CoherenceSettings settings) {
    return new RedisCoherence(links, false, settings.requireResolved());
  }

  /**
   * Over the connections of an open store, with its key prefix and command timeout: for tools
   * such as the CLI that need the bus's outcome ({@link RedisInvalidationBus#publishAsync}) or
   * its log next to the store. Closing it leaves the store open.
   *
   * @param instanceId the last part of the origin written into invalidations (such as
   *     {@code cli-1a2b}), or null for a random one
   * @throws IllegalStateException when the store is not connected to Redis
   */
  public static RedisCoherence forStore(RedisStore store, String instanceId) {
    Objects.requireNonNull(store, "store");
    CoherenceSettings settings = CoherenceSettings.defaults()
        .prefix(store.options().prefix())
        .commandTimeout(store.options().commandTimeout());
    if (instanceId != null) {
      settings = settings.instanceId(instanceId);
    }
    try {
      return new RedisCoherence(store.links(), false, settings);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot open the invalidation bus of " + store.describe()
          + ": " + e.getMessage(), e);
    }
  }

  /** The invalidation bus. */
  public RedisInvalidationBus bus() {
    return bus;
  }

  /** Single-flight across the fleet. */
  public RedisFleetFlight fleetFlight() {
    return fleetFlight;
  }

  /** Closes the bus and the fleet single-flight, then the connections it owns. Never throws. */
  @Override
  public void close() {
    bus.close();
    fleetFlight.close();
    if (ownsLinks) {
      links.close();
    }
  }
}
