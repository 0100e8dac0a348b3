package dev.cachet.redis;

import dev.cachet.tier.Store;
import dev.cachet.tier.StoreProvider;
import dev.cachet.tier.TierOptions;

/**
 * Lets {@code Cachet.builder().redis(uri)} open a {@link RedisStore}: kind {@code "redis"},
 * found with {@link java.util.ServiceLoader}. Every setting comes from the URI (see
 * {@link RedisStoreOptions#builder(String)}); the tier's entry lifetime is applied by the core,
 * which hands each entry its expiry, and {@link TierOptions#maximumBytes()} does not apply (a
 * Redis server is bounded by its own {@code maxmemory}).
 */
public final class RedisStoreProvider implements StoreProvider {

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public RedisStoreProvider() {
  }

  @Override
  public String kind() {
    return "redis";
  }

  @Override
  public Store open(String location, TierOptions options) {
    return RedisStore.open(RedisStoreOptions.fromUri(location));
  }
}
