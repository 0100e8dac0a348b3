package dev.cachet;

import dev.cachet.tier.Store;
import dev.cachet.tier.StoreProvider;
import dev.cachet.tier.StoreTier;
import dev.cachet.tier.TierConfig;
import java.util.ServiceLoader;

/**
 * Finds the {@link StoreProvider} of a tier configuration: by its class for a configuration
 * the user built, by its class's name for the builder's {@code disk(Path)} and
 * {@code redis(String)} shortcuts, which core offers without depending on those modules.
 */
final class TierProviders {
  static final String DISK_TIER = "dev.cachet.disk.DiskTier";
  static final String REDIS_TIER = "dev.cachet.redis.RedisTier";

  private TierProviders() {
  }

  /**
   * The default configuration of the tier type named {@code configType} at {@code location}.
   *
   * @param call the builder call, for the message when the module is missing
   * @param module the artifact that provides the type
   * @throws IllegalStateException when no provider of the type is on the class or module path
   */
  static TierConfig config(String configType, String location, String call, String module) {
    for (StoreProvider<?> provider : providers()) {
      if (provider.configType().getName().equals(configType)) {
        return provider.config(location);
      }
    }
    throw new IllegalStateException(call + "(" + location + ") needs the " + module
        + " module, which is not on the class path (nor on the module path). Add the dependency"
        + " dev.cachet:" + module + ".");
  }

  /**
   * Opens the store {@code config} describes: a {@link StoreTier}'s own, or one opened by the
   * provider of the configuration's class.
   *
   * @throws IllegalStateException when no provider opens configurations of its class
   */
  static Store open(TierConfig config) {
    if (config instanceof StoreTier own) {
      return own.store();
    }
    for (StoreProvider<?> provider : providers()) {
      if (provider.configType() == config.getClass()) {
        return open(provider, config);
      }
    }
    throw new IllegalStateException("No StoreProvider opens " + config.getClass().getName()
        + " (" + config.describe() + "): the module that defines it must provide one"
        + " (META-INF/services/" + StoreProvider.class.getName() + ", or provides in its"
        + " module-info.java); is that module on the class path?");
  }

  private static <C extends TierConfig> Store open(StoreProvider<C> provider, TierConfig config) {
    return provider.open(provider.configType().cast(config));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Iterable<StoreProvider<?>> providers() {
    return (Iterable) ServiceLoader.load(StoreProvider.class, Cachet.class.getClassLoader());
  }
}
