package dev.cachet.redis;

/**
 * Internal SPI of the cachet-redis module: services that attach themselves to every
 * {@link RedisStore} as it opens (the invalidation bus, the fleet lock), found with
 * {@link java.util.ServiceLoader} so that the store does not depend on them. Implementations
 * use the store's package-private hooks (its connections, {@code attachInvalidationBus},
 * {@code attachFleetFlight}); it is not meant for applications.
 */
public interface RedisStoreExtension {

  /**
   * Attaches this extension's services to a store that has just opened (possibly not yet
   * connected, when Redis was down). Must not throw for Redis trouble; a RuntimeException is
   * logged and the store opens without this extension.
   *
   * @param store the store
   */
  void extend(RedisStore store);
}
