package dev.cachet.disk;

import dev.cachet.tier.Store;
import dev.cachet.tier.StoreProvider;
import java.nio.file.Path;

/** Lets {@code Cachet.builder().disk(path)} open a {@link DiskStore} with default options. */
public final class DiskStoreProvider implements StoreProvider {

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public DiskStoreProvider() {
  }

  @Override
  public String kind() {
    return "disk";
  }

  @Override
  public Store open(Path location) {
    return DiskStore.open(location);
  }
}
