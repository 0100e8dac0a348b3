/**
 * Cachet's Redis tier: the shared {@link dev.cachet.tier.Store} on Redis (standalone, Sentinel,
 * Cluster), the invalidation bus and audit log, and fleet-wide single-flight
 * ({@link dev.cachet.redis.RedisStore}, {@link dev.cachet.redis.RedisStoreOptions}), configured as
 * a tier by {@link dev.cachet.redis.RedisTier}. {@code Cachet.builder().tier(RedisTier)} and
 * {@code redis(uri)} find it through its {@link dev.cachet.tier.StoreProvider}.
 */
// Lettuce, Reactor and Netty 4.1 are automatic modules, with stable Automatic-Module-Names;
// RedisStoreOptions takes Lettuce's ClientResources, hence the transitive requires.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cachet.redis {
  requires transitive dev.cachet.core;
  requires transitive lettuce.core;
  requires reactor.core;
  // Waits on the futures of Lettuce's client shutdown.
  requires io.netty.common;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;

  exports dev.cachet.redis;

  provides dev.cachet.tier.StoreProvider with dev.cachet.redis.RedisStoreProvider;

  // The invalidation bus and the fleet lock attach themselves to every store through this
  // module-internal service, so that the store does not depend on them.
  uses dev.cachet.redis.RedisStoreExtension;
  provides dev.cachet.redis.RedisStoreExtension with dev.cachet.redis.RedisCoherenceExtension;
}
