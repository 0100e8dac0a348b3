package dev.cachet.memo;

import dev.cachet.tier.Store;
import dev.cachet.tier.TierOptions;
import java.util.Objects;

/**
 * A tier below memory as the builder was told about it: a kind of store to open at a location
 * ({@code disk} at a directory, {@code redis} at a URI), or a store the user opened. Internal.
 *
 * @param kind {@code "disk"}, {@code "redis"}, or {@code "store"} for a user's store
 * @param location the directory or URI; null for a user's store
 * @param store the user's store; null otherwise
 * @param options the tier's own limits
 */
public record TierSpec(String kind, String location, Store store, TierOptions options) {

  /** Checks that the spec names either a location or a store. */
  public TierSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(options, "options");
    if ((location == null) == (store == null)) {
      throw new IllegalArgumentException("a tier needs a location or a store, not both");
    }
  }

  /** Whether the tier is shared by a fleet (Redis), which goes below every local tier. */
  public boolean remote() {
    return kind.equals("redis");
  }

  @Override
  public String toString() {
    return store != null ? store.describe() : kind + ":" + location;
  }
}
