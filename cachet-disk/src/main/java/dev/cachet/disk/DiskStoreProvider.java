package dev.cachet.disk;

import dev.cachet.tier.Store;
import dev.cachet.tier.StoreProvider;
import java.nio.file.Path;

/**
 * Opens the {@link DiskStore} of a {@link DiskTier}, for {@code Cachet.builder().tier(...)} and
 * {@code disk(Path)}; found with {@link java.util.ServiceLoader}.
 */
public final class DiskStoreProvider implements StoreProvider<DiskTier> {

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public DiskStoreProvider() {
  }

  @Override
  public Class<DiskTier> configType() {
    return DiskTier.class;
  }

  /** {@code DiskTier.in(Path.of(location))}: {@code location} is a directory. */
  @Override
  public DiskTier config(String location) {
    return DiskTier.in(Path.of(location));
  }

  @Override
  public Store open(DiskTier config) {
    return DiskStore.open(config.directory(), config.storeOptions());
  }
}
