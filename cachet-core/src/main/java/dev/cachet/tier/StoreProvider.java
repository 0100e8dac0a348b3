package dev.cachet.tier;

import java.nio.file.Path;

/**
 * Opens stores of one kind, found with {@link java.util.ServiceLoader} so that the core can
 * offer {@code Cachet.Builder.disk(Path)} without depending on the module that implements it.
 */
public interface StoreProvider {

  /** The kind of store, such as {@code "disk"}. */
  String kind();

  /**
   * Opens (creating if needed) the store at {@code location}.
   *
   * @throws RuntimeException naming the location and the reason when it cannot be used
   */
  Store open(Path location);
}
