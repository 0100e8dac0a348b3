package dev.cachet.tier;

/**
 * Opens the stores of one {@link TierConfig} type, found with {@link java.util.ServiceLoader} so
 * that the core can open a {@code DiskTier} or a {@code RedisTier} (and offer
 * {@code Cachet.Builder.disk(Path)} and {@code redis(String)}) without depending on the modules
 * that implement them. A module that adds a kind of tier provides one, registered in
 * {@code META-INF/services/dev.cachet.tier.StoreProvider} and with {@code provides} in its
 * {@code module-info.java}.
 *
 * @param <C> the configuration type this provider opens
 */
public interface StoreProvider<C extends TierConfig> {

  /** The configuration type this provider opens; Cachet picks the provider by it. */
  Class<C> configType();

  /**
   * The default configuration of a tier at {@code location} given as text (a directory for
   * disk, a URI for Redis): what {@code Cachet.Builder.disk(Path)} and {@code redis(String)},
   * and settings read from text such as Spring properties, turn into a configuration of this
   * provider's type without depending on its module.
   *
   * @throws IllegalArgumentException naming the location and what is wrong with it
   */
  C config(String location);

  /**
   * Opens (creating if needed) the store {@code config} describes.
   *
   * @throws RuntimeException naming the location and the reason when it cannot be used
   */
  Store open(C config);
}
