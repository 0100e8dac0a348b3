package dev.cachet.disk;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link DiskStore}; immutable. Build with {@link #builder()}.
 */
public final class DiskStoreOptions {
  /**
   * Values above this many bytes go to side files. 64 KiB is a first guess from SQLite's own
   * advice (blobs of tens of KiB are where separate files start to win); to be confirmed by a
   * benchmark on this store.
   */
  public static final int DEFAULT_SIDE_FILE_THRESHOLD = 64 * 1024;

  private static final DiskStoreOptions DEFAULTS = builder().build();

  private final long maxBytes;
  private final EvictionMode eviction;
  private final int sideFileThreshold;
  private final Duration busyTimeout;
  private final int accessFlushReads;
  private final Duration accessFlushInterval;
  private final int sweepLimit;
  private final Clock clock;

  private DiskStoreOptions(Builder b) {
    this.maxBytes = b.maxBytes;
    this.eviction = b.eviction;
    this.sideFileThreshold = b.sideFileThreshold;
    this.busyTimeout = b.busyTimeout;
    this.accessFlushReads = b.accessFlushReads;
    this.accessFlushInterval = b.accessFlushInterval;
    this.sweepLimit = b.sweepLimit;
    this.clock = b.clock;
  }

  /**
   * The default settings: no size limit, {@link EvictionMode#LEAST_RECENTLY_STORED}, side files
   * above 64 KiB, a 5 s busy timeout.
   *
   * @return the defaults
   */
  public static DiskStoreOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Starts from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The size limit.
   *
   * @return the most bytes of frames the store keeps, 0 for no limit
   */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * The eviction order.
   *
   * @return which entries go first when over the limit
   */
  public EvictionMode eviction() {
    return eviction;
  }

  /**
   * The side-file threshold.
   *
   * @return frames longer than this many bytes are stored as side files
   */
  public int sideFileThreshold() {
    return sideFileThreshold;
  }

  /**
   * How long an operation waits for another process's lock.
   *
   * @return SQLite's busy timeout
   */
  public Duration busyTimeout() {
    return busyTimeout;
  }

  /**
   * How many reads (hits and misses) are buffered before their access times and counters are
   * written in one transaction.
   *
   * @return the batch size
   */
  public int accessFlushReads() {
    return accessFlushReads;
  }

  /**
   * The longest buffered reads wait before they are written (checked on the next operation).
   *
   * @return the interval
   */
  public Duration accessFlushInterval() {
    return accessFlushInterval;
  }

  /**
   * How many expired entries one write removes at most, besides its own work.
   *
   * @return the sweep bound
   */
  public int sweepLimit() {
    return sweepLimit;
  }

  /**
   * The clock that decides expiry and records access times.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "DiskStoreOptions[maxBytes=" + maxBytes + ", eviction=" + eviction
        + ", sideFileThreshold=" + sideFileThreshold + ", busyTimeout=" + busyTimeout + "]";
  }

  /** Collects settings; not thread-safe. */
  public static final class Builder {
    private long maxBytes;
    private EvictionMode eviction = EvictionMode.LEAST_RECENTLY_STORED;
    private int sideFileThreshold = DEFAULT_SIDE_FILE_THRESHOLD;
    private Duration busyTimeout = Duration.ofSeconds(5);
    private int accessFlushReads = 256;
    private Duration accessFlushInterval = Duration.ofSeconds(1);
    private int sweepLimit = 64;
    private Clock clock = Clock.systemUTC();

    private Builder() {
    }

    /**
     * Limits the bytes of frames held; the store evicts after each write that passes it.
     *
     * @param bytes the limit, or 0 for none
     * @return this builder
     */
    public Builder maxBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxBytes must be 0 (no limit) or positive, got "
            + bytes);
      }
      this.maxBytes = bytes;
      return this;
    }

    /**
     * Chooses the eviction order.
     *
     * @param mode the order
     * @return this builder
     */
    public Builder eviction(EvictionMode mode) {
      this.eviction = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Sets the size above which frames are stored as side files.
     *
     * @param bytes the threshold, at least 0
     * @return this builder
     */
    public Builder sideFileThreshold(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("sideFileThreshold must be at least 0, got " + bytes);
      }
      this.sideFileThreshold = bytes;
      return this;
    }

    /**
     * Sets how long an operation waits for another process's lock before it fails.
     *
     * @param timeout a positive duration of at most Integer.MAX_VALUE milliseconds
     * @return this builder
     */
    public Builder busyTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("busyTimeout out of range: " + timeout);
      }
      this.busyTimeout = timeout;
      return this;
    }

    /**
     * Sets when buffered reads are written: after this many reads, or
     * after {@code interval}, whichever comes first.
     *
     * @param reads the batch size, at least 1
     * @param interval the longest wait
     * @return this builder
     */
    public Builder accessFlush(int reads, Duration interval) {
      if (reads < 1) {
        throw new IllegalArgumentException("reads must be at least 1, got " + reads);
      }
      this.accessFlushReads = reads;
      this.accessFlushInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Bounds the expired entries each write removes.
     *
     * @param entries the bound, at least 0
     * @return this builder
     */
    public Builder sweepLimit(int entries) {
      if (entries < 0) {
        throw new IllegalArgumentException("sweepLimit must be at least 0, got " + entries);
      }
      this.sweepLimit = entries;
      return this;
    }

    /**
     * Replaces the clock, for tests and simulations.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the immutable options
     */
    public DiskStoreOptions build() {
      return new DiskStoreOptions(this);
    }
  }
}
