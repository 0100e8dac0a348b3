package dev.cachet.disk;

import dev.cachet.tier.TierConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link DiskStore} as a tier below memory: its directory, how long it keeps entries, how
 * many bytes it may hold, and the store settings a tier usually needs. Immutable: each setter
 * returns a new configuration. Results survive restarts and are shared by the processes that
 * use the same directory.
 *
 * <pre>{@code
 * Cachet cachet = Cachet.builder()
 *     .expireAfterWrite(Duration.ofMinutes(10))            // memory
 *     .tier(DiskTier.in(Path.of(".cachet"))
 *         .expireAfterWrite(Duration.ofDays(7))             // disk
 *         .maximumBytes(1L << 30))
 *     .build();
 * }</pre>
 *
 * <p>For the settings not offered here (the read cache, the write-behind delay, a clock...),
 * open the store yourself with {@link DiskStore#open(Path, DiskStoreOptions)} and add it with
 * {@code tier(StoreTier.of(store))}.
 */
public final class DiskTier extends TierConfig {
  private final Path directory;
  private final long maximumBytes;
  private final EvictionMode eviction;
  private final Durability durability;
  private final boolean groupAccess;

  private DiskTier(Path directory, Duration expireAfterWrite, long maximumBytes,
      EvictionMode eviction, Durability durability, boolean groupAccess) {
    super(expireAfterWrite);
    this.directory = directory;
    this.maximumBytes = maximumBytes;
    this.eviction = eviction;
    this.durability = durability;
    this.groupAccess = groupAccess;
  }

  /**
   * A disk tier in {@code directory} (created if needed) with the store's defaults: entries
   * live as long as memory's, no size limit, least-recently-stored eviction, puts that survive
   * a crash of the process, files private to their user.
   *
   * @throws NullPointerException when {@code directory} is null
   */
  public static DiskTier in(Path directory) {
    Objects.requireNonNull(directory, "DiskTier.in(directory) needs a directory");
    DiskStoreOptions defaults = DiskStoreOptions.defaults();
    return new DiskTier(directory, null, 0, defaults.eviction(), defaults.durability(),
        defaults.groupAccess());
  }

  @Override
  public DiskTier expireAfterWrite(Duration duration) {
    return new DiskTier(directory, requireLifetime(duration), maximumBytes, eviction,
        durability, groupAccess);
  }

  /**
   * The most bytes of entries the tier holds; past it, each write evicts in the
   * {@link #eviction(EvictionMode)} order. No limit unless set.
   *
   * @throws IllegalArgumentException when not positive
   */
  public DiskTier maximumBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maximumBytes must be positive, was " + bytes
          + "; for a disk tier without a size limit, leave it unset");
    }
    return new DiskTier(directory, expireAfterWrite(), bytes, eviction, durability,
        groupAccess);
  }

  /**
   * The order in which entries go when the tier is over {@link #maximumBytes(long)}:
   * {@link EvictionMode#LEAST_RECENTLY_STORED} unless set.
   *
   * @throws NullPointerException when null
   */
  public DiskTier eviction(EvictionMode mode) {
    Objects.requireNonNull(mode, "eviction(mode) needs a mode, such as EvictionMode.LRU");
    return new DiskTier(directory, expireAfterWrite(), maximumBytes, mode, durability,
        groupAccess);
  }

  /**
   * What a put survives once it has returned: {@link Durability#PROCESS_CRASH} unless set; see
   * {@link DiskStoreOptions.Builder#durability(Durability)}.
   *
   * @throws NullPointerException when null
   */
  public DiskTier durability(Durability level) {
    Objects.requireNonNull(level, "durability(level) needs a level, such as"
        + " Durability.POWER_LOSS");
    return new DiskTier(directory, expireAfterWrite(), maximumBytes, eviction, level,
        groupAccess);
  }

  /**
   * Whether the group of the store's files may read and write them, so processes of several
   * users in one group can share the tier; false unless set. See
   * {@link DiskStoreOptions.Builder#groupAccess(boolean)}.
   */
  public DiskTier groupAccess(boolean group) {
    return new DiskTier(directory, expireAfterWrite(), maximumBytes, eviction, durability,
        group);
  }

  /** The store's directory. */
  public Path directory() {
    return directory;
  }

  /** The size limit in bytes, or 0 for none. */
  public long maximumBytes() {
    return maximumBytes;
  }

  /** The eviction order past the size limit. */
  public EvictionMode eviction() {
    return eviction;
  }

  /** What a returned put survives. */
  public Durability durability() {
    return durability;
  }

  /** Whether the group may read and write the store's files. */
  public boolean groupAccess() {
    return groupAccess;
  }

  /** The options {@link DiskStore#open(Path, DiskStoreOptions)} takes for this tier. */
  DiskStoreOptions storeOptions() {
    return DiskStoreOptions.builder().maximumBytes(maximumBytes).eviction(eviction)
        .durability(durability).groupAccess(groupAccess).build();
  }

  /** Local: the processes sharing a directory are on one host, and there is no bus between them. */
  @Override
  public boolean shared() {
    return false;
  }

  @Override
  public String describe() {
    return "disk:" + directory;
  }
}
