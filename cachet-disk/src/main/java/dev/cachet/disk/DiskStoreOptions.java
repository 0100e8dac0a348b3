package dev.cachet.disk;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link DiskStore}; immutable. Build with {@link #builder()}.
 */
public final class DiskStoreOptions {
  /**
   * Frames above this many bytes go to side files. 64 KiB, measured with
   * {@code DiskThresholdBenchmark} in five runs (cachet-disk/README.md has the numbers): up
   * to 64 KiB inline puts won every run, by 1.7x to 19x (a side file costs an fsync of the
   * file and of its directory; an inline value is a WAL append), and from 64 KiB up side
   * files won all but one run on reads (1.05x to 1.35x, about 1.6x at 1 MiB). From 128 KiB
   * up the put results flipped from run to run under load, and side files won them in the
   * quietest runs, so the threshold sits where both signals agree.
   */
  public static final int DEFAULT_SIDE_FILE_THRESHOLD = 64 * 1024;

  private static final DiskStoreOptions DEFAULTS = builder().build();

  private final long maximumBytes;
  private final EvictionMode eviction;
  private final int sideFileThreshold;
  private final Duration busyTimeout;
  private final int accessFlushReads;
  private final Duration accessFlushInterval;
  private final int sweepLimit;
  private final Clock clock;
  private final boolean removeOrphansOnOpen;
  private final boolean recoverCorruptDatabase;
  private final Duration writeBehind;
  private final Durability durability;
  private final boolean groupAccess;
  private final long readCacheBytes;
  private final Duration readCacheStaleness;

  private DiskStoreOptions(Builder b) {
    this.readCacheBytes = b.readCacheBytes;
    this.readCacheStaleness = b.readCacheStaleness;
    this.maximumBytes = b.maximumBytes;
    this.eviction = b.eviction;
    this.sideFileThreshold = b.sideFileThreshold;
    this.busyTimeout = b.busyTimeout;
    this.accessFlushReads = b.accessFlushReads;
    this.accessFlushInterval = b.accessFlushInterval;
    this.sweepLimit = b.sweepLimit;
    this.clock = b.clock;
    this.removeOrphansOnOpen = b.removeOrphansOnOpen;
    this.recoverCorruptDatabase = b.recoverCorruptDatabase;
    this.writeBehind = b.writeBehind;
    this.durability = b.durability;
    this.groupAccess = b.groupAccess;
  }

  /**
   * The default settings: no size limit, {@link EvictionMode#LEAST_RECENTLY_STORED}, side files
   * above 64 KiB, a 5 s busy timeout, puts journaled and written to the database within
   * 20 ms.
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
  public long maximumBytes() {
    return maximumBytes;
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

  /**
   * Whether {@link DiskStore#open} deletes side files that no entry names (older than an hour).
   *
   * @return true by default; false for tools that must not change the store they look at
   */
  public boolean removeOrphansOnOpen() {
    return removeOrphansOnOpen;
  }

  /**
   * Whether {@link DiskStore#open} moves a database that SQLite reports as damaged or not a
   * database aside (to {@code cachet.db.corrupt-<time>}) and starts an empty one, instead of
   * failing.
   *
   * @return true by default; false for tools that must report rather than repair
   */
  public boolean recoverCorruptDatabase() {
    return recoverCorruptDatabase;
  }

  /**
   * How long a put may wait in this process's journal before it is written to the database.
   *
   * @return the delay; {@link Duration#ZERO} when puts are written to the database directly
   */
  public Duration writeBehind() {
    return writeBehind;
  }

  /**
   * What a put survives once it has returned.
   *
   * @return {@link Durability#PROCESS_CRASH} by default
   */
  public Durability durability() {
    return durability;
  }

  /**
   * Whether the store's group may read and write what the store creates.
   *
   * @return false by default: directories {@code 0700}, files {@code 0600}
   */
  public boolean groupAccess() {
    return groupAccess;
  }

  /**
   * How many bytes of recently read frames this process keeps in memory (see
   * {@link Builder#readCache}).
   *
   * @return the bound; 0 when reads always go to the database
   */
  public long readCacheBytes() {
    return readCacheBytes;
  }

  /**
   * How long another process's commit may go unseen by a read served from memory (see
   * {@link Builder#readCache}).
   *
   * @return the bound; {@link Duration#ZERO} for none
   */
  public Duration readCacheStaleness() {
    return readCacheStaleness;
  }

  @Override
  public String toString() {
    return "DiskStoreOptions[maximumBytes=" + maximumBytes + ", eviction=" + eviction
        + ", sideFileThreshold=" + sideFileThreshold + ", busyTimeout=" + busyTimeout
        + ", writeBehind=" + writeBehind + ", durability=" + durability
        + ", groupAccess=" + groupAccess + ", readCacheBytes=" + readCacheBytes
        + ", readCacheStaleness=" + readCacheStaleness + "]";
  }

  /** Collects settings; not thread-safe. */
  public static final class Builder {
    private long maximumBytes;
    private EvictionMode eviction = EvictionMode.LEAST_RECENTLY_STORED;
    private int sideFileThreshold = DEFAULT_SIDE_FILE_THRESHOLD;
    private Duration busyTimeout = Duration.ofSeconds(5);
    /**
     * 262,144, not 256: under LRU and LFU a batch rewrites each distinct entry it read once, so
     * the larger batch dedupes more reads of the same entries and rewrites each table page at
     * most once per batch (measured with uniform reads over 10,000 entries: a 256-read batch
     * cost about as much as the reads, a 4,096-read one still a third of a get's time). Once a
     * get took about 1.4 µs, 65,536 reads made ten write transactions a second, each followed by
     * a checkpoint and by every reader's fresh snapshot, and an LRU get cost 0.7 of a default
     * one; with no batch at all, the same. The interval still bounds how far the recorded
     * order lags.
     */
    private int accessFlushReads = 262_144;
    private Duration accessFlushInterval = Duration.ofSeconds(1);
    private int sweepLimit = 64;
    private Clock clock = Clock.systemUTC();
    private boolean removeOrphansOnOpen = true;
    private boolean recoverCorruptDatabase = true;
    private Duration writeBehind = Duration.ofMillis(20);
    private Durability durability = Durability.PROCESS_CRASH;
    private boolean groupAccess;
    private long readCacheBytes = 8L << 20;
    private Duration readCacheStaleness = Duration.ofMillis(1);

    private Builder() {
    }

    /**
     * Keeps recently read frames (up to 16 KiB each) in this process's memory, so that a hot
     * key's read skips SQLite (measured: several times faster on a Zipf-distributed workload).
     * The cache stays coherent with every process's writes through a change log in the
     * database, read before a cached frame is served whenever the last read of it is older
     * than {@code staleness}: another process's commit is seen within that bound (its puts
     * already wait up to {@link #writeBehind} before they commit); this process's own writes
     * are seen at once.
     *
     * @param bytes the most bytes of frames kept, 0 to read the database every time;
     *     8 MiB by default
     * @param staleness how long another process's commit may go unseen, from zero (a look at
     *     the change log before every read served from memory) to one second; 1 ms by default
     * @return this builder
     * @throws IllegalArgumentException when {@code bytes} is negative or {@code staleness}
     *     is outside zero to one second
     */
    public Builder readCache(long bytes, Duration staleness) {
      Objects.requireNonNull(staleness, "staleness");
      if (bytes < 0) {
        throw new IllegalArgumentException("readCache bytes must be 0 (off) or more, got "
            + bytes);
      }
      if (staleness.isNegative() || staleness.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("readCache staleness must be between zero and one"
            + " second, got " + staleness);
      }
      this.readCacheBytes = bytes;
      this.readCacheStaleness = staleness;
      return this;
    }

    /**
     * Chooses what a put survives once it has returned: a crash of the process (the default,
     * no wait for the disk), or also a power loss or crash of the machine (each put waits for
     * a sync to the disk, shared by the puts that arrive meanwhile).
     *
     * @param durability the level
     * @return this builder
     */
    public Builder durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /**
     * Lets the group of the store's files read and write them. A store holds cached values
     * (prompts and answers, for LLM caching) in plain text, so by default what it creates is
     * private to its user: directories {@code 0700}, files {@code 0600}. With true they are
     * {@code 0770} and {@code 0660}, so that processes of several users in one group can share
     * the store. Directories and files that already exist keep their modes.
     *
     * @param group whether the group may read and write
     * @return this builder
     */
    public Builder groupAccess(boolean group) {
      this.groupAccess = group;
      return this;
    }

    /**
     * Sets how long a put may wait in this process's journal before it is written to the
     * shared database, where other processes see it. A put returns once its record is
     * appended to the journal with one write: that survives a crash of the process (the next
     * process to open the store replays the journal), and reads in this process see it at
     * once. The database then takes journaled puts in large transactions, which is what makes
     * puts several times faster than one commit each. Frames above the side-file threshold
     * are always written directly.
     *
     * <p>{@link Duration#ZERO} turns the journal off: each put commits to the database
     * before it returns, visible to other processes at once, at the cost of a commit per put
     * (shared by concurrent puts through group commit).
     *
     * @param delay the longest wait, from zero up to one minute; 20 ms by default
     * @return this builder
     */
    public Builder writeBehind(Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative() || delay.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("writeBehind must be between zero (no journal) and "
            + "one minute, got " + delay);
      }
      this.writeBehind = delay;
      return this;
    }

    /**
     * Chooses whether opening the store deletes orphaned side files (files no entry names,
     * older than an hour: left by a process killed between writing a file and committing its
     * row). On by default; turn it off to look at a store without changing it, as
     * {@code cachet check} without {@code --fix} does.
     *
     * @param remove whether {@link DiskStore#open} removes orphans
     * @return this builder
     */
    public Builder removeOrphansOnOpen(boolean remove) {
      this.removeOrphansOnOpen = remove;
      return this;
    }

    /**
     * Chooses what {@link DiskStore#open} does with a database file SQLite cannot read
     * (damaged header, not a database): with true (the default) it is moved aside with a
     * logged warning and an empty store takes its place, because a cache that fails the
     * application is worse than a cold one; with false, open throws a
     * {@link DiskStoreException} naming the file (for tools that report damage).
     *
     * @param recover whether to move a damaged database aside and start afresh
     * @return this builder
     */
    public Builder recoverCorruptDatabase(boolean recover) {
      this.recoverCorruptDatabase = recover;
      return this;
    }

    /**
     * Limits the bytes of frames held; the store evicts after each write that passes it.
     *
     * @param bytes the limit, or 0 for none
     * @return this builder
     */
    public Builder maximumBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maximumBytes must be 0 (no limit) or positive, got "
            + bytes);
      }
      this.maximumBytes = bytes;
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
      // Checked before either field changes: a refused call leaves the builder as it was.
      Objects.requireNonNull(interval, "interval must not be null; the default is 1 second");
      this.accessFlushReads = reads;
      this.accessFlushInterval = interval;
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
