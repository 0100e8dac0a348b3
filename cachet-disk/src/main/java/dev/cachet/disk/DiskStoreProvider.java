package dev.cachet.disk;

import dev.cachet.tier.Store;
import dev.cachet.tier.StoreProvider;
import dev.cachet.tier.TierOptions;
import java.nio.file.Path;

/** Lets {@code Cachet.builder().disk(path)} open a {@link DiskStore} with the tier's size limit. */
public final class DiskStoreProvider implements StoreProvider {

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public DiskStoreProvider() {
  }

  @Override
  public String kind() {
    return "disk";
  }

  @Override
  public Store open(String location, TierOptions options) {
    DiskStoreOptions.Builder builder = DiskStoreOptions.builder();
    if (options.maximumBytes() > 0) {
      builder.maximumBytes(options.maximumBytes());
    }
    return DiskStore.open(Path.of(location), builder.build());
  }
}
