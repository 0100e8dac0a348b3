package dev.cachet.tier;

import java.time.Duration;
import java.util.Objects;

/**
 * The configuration of one tier below memory, handed to {@code Cachet.Builder.tier(...)}: what
 * every tier has (its own entry lifetime) plus, in each subclass, what its kind of store needs,
 * such as {@code DiskTier} in cachet-disk and {@code RedisTier} in cachet-redis. Immutable: each
 * setter returns a new configuration.
 *
 * <p>Cachet opens the tier at {@code build()} with the {@link StoreProvider} whose
 * {@link StoreProvider#configType()} is this configuration's class, found with
 * {@link java.util.ServiceLoader}; {@link StoreTier} wraps a store you opened yourself.
 *
 * <pre>{@code
 * Cachet.builder()
 *     .expireAfterWrite(Duration.ofMinutes(10))
 *     .tier(DiskTier.in(Path.of(".cachet")).expireAfterWrite(Duration.ofDays(7)))
 *     .build();
 * }</pre>
 */
public abstract class TierConfig {
  private final Duration expireAfterWrite;

  /**
   * Creates a configuration with its entry lifetime.
   *
   * @param expireAfterWrite how long the tier keeps an entry after it was written, or null to
   *     follow memory's {@code expireAfterWrite}; checked with {@link #requireLifetime}
   */
  protected TierConfig(Duration expireAfterWrite) {
    this.expireAfterWrite = expireAfterWrite;
  }

  /**
   * A copy of this configuration whose tier keeps an entry for {@code duration} after it was
   * written, independently of memory (a week on disk while memory keeps it for minutes, say).
   * Subclasses return their own type.
   *
   * @throws IllegalArgumentException when not positive
   * @throws NullPointerException when null
   */
  public abstract TierConfig expireAfterWrite(Duration duration);

  /** This tier's entry lifetime, or null to follow memory's {@code expireAfterWrite}. */
  public Duration expireAfterWrite() {
    return expireAfterWrite;
  }

  /**
   * Whether a fleet of processes shares this tier (Redis does): shared tiers go below every
   * local one, whatever the order they were added in, and their invalidations reach the other
   * processes.
   */
  public abstract boolean shared();

  /** The tier for messages and logs, such as {@code disk:/var/cache/app}; no credentials. */
  public abstract String describe();

  /**
   * Checks a tier lifetime for subclasses' {@code expireAfterWrite(Duration)}.
   *
   * @return {@code duration}
   * @throws IllegalArgumentException when not positive
   * @throws NullPointerException when null
   */
  protected static Duration requireLifetime(Duration duration) {
    Objects.requireNonNull(duration, "expireAfterWrite(duration) needs a duration; to follow"
        + " memory's lifetime, leave it unset");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("expireAfterWrite must be positive, was " + duration
          + "; to keep entries without a time limit, leave it unset and give no memory TTL");
    }
    return duration;
  }

  @Override
  public String toString() {
    return describe() + (expireAfterWrite == null ? "" : " expireAfterWrite=" + expireAfterWrite);
  }
}
