/**
 * The Redis tier: {@link dev.cachet.redis.RedisStore}, a {@link dev.cachet.tier.Store} shared by
 * every process using the same Redis (standalone, Sentinel or Cluster; ACL and TLS), configured
 * as a tier by {@link dev.cachet.redis.RedisTier} and opened by {@code Cachet.builder().tier(...)}
 * or {@code redis(uri)} through {@link dev.cachet.redis.RedisStoreProvider}. The
 * key scheme is specified in docs/REDIS-FORMAT.md.
 */
package dev.cachet.redis;
