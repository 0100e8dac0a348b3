package dev.cachet.redis;

import dev.cachet.tier.Store;
import dev.cachet.tier.StoreProvider;

/**
 * Opens the {@link RedisStore} of a {@link RedisTier}, for {@code Cachet.builder().tier(...)}
 * and {@code redis(String)}; found with {@link java.util.ServiceLoader}. The store's settings
 * come from the URI (see {@link RedisStoreOptions#builder(String)}), its bus's and fleet
 * single-flight's from {@link RedisTier#coherence()}; the tier's entry lifetime is applied by
 * the core, which hands each entry its expiry.
 */
public final class RedisStoreProvider implements StoreProvider<RedisTier> {

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public RedisStoreProvider() {
  }

  @Override
  public Class<RedisTier> configType() {
    return RedisTier.class;
  }

  /** {@code RedisTier.at(location)}: {@code location} is a Redis URI. */
  @Override
  public RedisTier config(String location) {
    return RedisTier.at(location);
  }

  @Override
  public Store open(RedisTier config) {
    return RedisStore.open(RedisStoreOptions.builder(config.uri())
        .coherence(config.coherence()).build());
  }
}
