package dev.cachet.tier;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of one tier below memory, such as a disk store that keeps entries for a week while
 * memory keeps them for ten minutes. Immutable; start from {@link #defaults()}.
 *
 * <pre>{@code
 * Cachet.builder()
 *     .expireAfterWrite(Duration.ofMinutes(10))
 *     .disk(Path.of(".cachet"), TierOptions.defaults()
 *         .expireAfterWrite(Duration.ofDays(7))
 *         .maximumBytes(1L << 30))
 *     .build();
 * }</pre>
 */
public final class TierOptions {
  private static final TierOptions DEFAULTS = new TierOptions(null, 0);

  private final Duration expireAfterWrite;
  private final long maximumBytes;

  private TierOptions(Duration expireAfterWrite, long maximumBytes) {
    this.expireAfterWrite = expireAfterWrite;
    this.maximumBytes = maximumBytes;
  }

  /** Entries live as long as the memory tier's {@code expireAfterWrite}; the store's own size limit. */
  public static TierOptions defaults() {
    return DEFAULTS;
  }

  /**
   * How long this tier keeps an entry after it was written, independently of memory.
   *
   * @throws IllegalArgumentException when not positive
   */
  public TierOptions expireAfterWrite(Duration duration) {
    Objects.requireNonNull(duration, "expireAfterWrite(duration) needs a duration");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("expireAfterWrite must be positive, was " + duration
          + "; to keep entries without a time limit, leave it unset and give no memory TTL");
    }
    return new TierOptions(duration, maximumBytes);
  }

  /**
   * The most bytes this tier may hold before evicting, for stores that manage their own size
   * (disk). Redis is bounded by its server's {@code maxmemory} instead.
   *
   * @throws IllegalArgumentException when not positive
   */
  public TierOptions maximumBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maximumBytes must be positive, was " + bytes);
    }
    return new TierOptions(expireAfterWrite, bytes);
  }

  /** This tier's entry lifetime, or null to follow memory's {@code expireAfterWrite}. */
  public Duration expireAfterWrite() {
    return expireAfterWrite;
  }

  /** The size limit in bytes, or 0 for the store's default. */
  public long maximumBytes() {
    return maximumBytes;
  }

  @Override
  public String toString() {
    return "TierOptions{expireAfterWrite=" + expireAfterWrite + ", maximumBytes=" + maximumBytes
        + "}";
  }
}
