package dev.cachet.tier;

/**
 * Opens stores of one kind, found with {@link java.util.ServiceLoader} so that the core can
 * offer {@code Cachet.Builder.disk(Path)} and {@code redis(String)} without depending on the
 * modules that implement them.
 */
public interface StoreProvider {

  /** The kind of store, such as {@code "disk"} or {@code "redis"}. */
  String kind();

  /**
   * Opens (creating if needed) the store at {@code location}.
   *
   * @param location a directory for {@code disk}, a URI for {@code redis}
   * @param options the tier's limits, as given to the builder
   * @throws RuntimeException naming the location and the reason when it cannot be used
   */
  Store open(String location, TierOptions options);
}
