package dev.cachet.tier;

import java.time.Duration;
import java.util.Objects;

/**
 * A store you opened yourself as a tier below memory: one of your own {@link Store}
 * implementations, or a {@code DiskStore} or {@code RedisStore} opened with options the
 * {@code DiskTier} and {@code RedisTier} configurations do not offer. Cachet closes it in
 * {@code close()}. It is shared (goes below the local tiers) when it offers an
 * {@link InvalidationBus}.
 *
 * <pre>{@code
 * Cachet.builder()
 *     .tier(StoreTier.of(myStore).expireAfterWrite(Duration.ofHours(1)))
 *     .build();
 * }</pre>
 */
public final class StoreTier extends TierConfig {
  private final Store store;

  private StoreTier(Store store, Duration expireAfterWrite) {
    super(expireAfterWrite);
    this.store = store;
  }

  /**
   * The store as a tier whose entries live as long as memory's.
   *
   * @throws NullPointerException when {@code store} is null
   */
  public static StoreTier of(Store store) {
    Objects.requireNonNull(store, "StoreTier.of(store) needs a store");
    return new StoreTier(store, null);
  }

  @Override
  public StoreTier expireAfterWrite(Duration duration) {
    return new StoreTier(store, requireLifetime(duration));
  }

  /** The store. */
  public Store store() {
    return store;
  }

  @Override
  public boolean shared() {
    return store.invalidationBus().isPresent();
  }

  @Override
  public String describe() {
    return store.describe();
  }
}
