package dev.cachet.jcache;

import dev.cachet.EvictionPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;

/**
 * A JCache configuration with Cachet's own options: the memory policy and bound, the tiers below
 * memory (a disk directory, a Redis server) and invalidation tags. Everything
 * {@link MutableConfiguration} offers works as usual; a plain {@code MutableConfiguration} given
 * to {@code createCache} behaves as this class with its defaults (adaptive policy, no bound, no
 * tier).
 *
 * <pre>{@code
 * CachetConfiguration<Long, User> config = new CachetConfiguration<Long, User>()
 *     .policy(EvictionPolicy.LRU)
 *     .maximumSize(10_000)
 *     .disk(Path.of("/var/cache/app"))
 *     .tags("users");
 * config.setTypes(Long.class, User.class);
 * Cache<Long, User> users = manager.createCache("users", config);
 * }</pre>
 *
 * <p>With a tier, entries are written through to it as they are put (expiring there when the
 * JCache expiry policy gives them a finite lifetime) and read back into memory on a miss, so
 * they outlive the process (disk) or are shared with other processes (Redis). Values and keys
 * travel through Java serialization; values that cannot be serialized stay in memory only.
 */
public class CachetConfiguration<K, V> extends MutableConfiguration<K, V> {
  private static final long serialVersionUID = 1L;

  /** No bound on the number of entries: the JCache default. */
  public static final long UNBOUNDED = -1;

  private EvictionPolicy policy = EvictionPolicy.ADAPTIVE;
  private long maximumSize = UNBOUNDED;
  private String diskDirectory;
  private String redisUri;
  private final List<String> tags = new ArrayList<>();
  private String serialFilter;
  // Transient: a clock is a test's or an application's object, not part of a configuration
  // that travels; a deserialized configuration measures expiry by the system clock.
  private transient Clock clock;

  /** A configuration with the JCache defaults and Cachet's: adaptive policy, unbounded, no tier. */
  public CachetConfiguration() {
  }

  /**
   * A copy of {@code configuration}: everything a {@link CompleteConfiguration} holds, and
   * Cachet's options when it is a {@code CachetConfiguration}; only the types and store-by-value
   * of a basic {@link Configuration}.
   */
  @SuppressWarnings("unchecked")
  public CachetConfiguration(Configuration<K, V> configuration) {
    super(complete(configuration));
    if (configuration instanceof CachetConfiguration<?, ?> c) {
      this.policy = c.policy;
      this.maximumSize = c.maximumSize;
      this.diskDirectory = c.diskDirectory;
      this.redisUri = c.redisUri;
      this.tags.addAll(c.tags);
      this.serialFilter = c.serialFilter;
      this.clock = c.clock;
    }
  }

  private static <K, V> CompleteConfiguration<K, V> complete(Configuration<K, V> configuration) {
    Objects.requireNonNull(configuration, "configuration must not be null");
    if (configuration instanceof CompleteConfiguration<K, V> complete) {
      return complete;
    }
    MutableConfiguration<K, V> basic = new MutableConfiguration<>();
    basic.setTypes(configuration.getKeyType(), configuration.getValueType());
    basic.setStoreByValue(configuration.isStoreByValue());
    return basic;
  }

  /**
   * The clock that entries' expiry is measured against, in every tier: JCache's expiry is in
   * wall-clock time, so a test passes a clock it moves instead of waiting. The system clock
   * by default. Not serialized with the configuration.
   *
   * @throws NullPointerException when {@code clock} is null
   */
  public CachetConfiguration<K, V> clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null; the default is "
        + "Clock.systemUTC()");
    return this;
  }

  /** The clock expiry is measured against: the one given to {@link #clock}, else the system's. */
  public Clock getClock() {
    return clock == null ? Clock.systemUTC() : clock;
  }

  /** The memory tier's eviction policy; {@link EvictionPolicy#ADAPTIVE} by default. */
  public EvictionPolicy getPolicy() {
    return policy;
  }

  /** Sets the memory tier's eviction policy. */
  public CachetConfiguration<K, V> policy(EvictionPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy must not be null; the default is"
        + " EvictionPolicy.ADAPTIVE");
    return this;
  }

  /** The most entries held in memory, or {@link #UNBOUNDED}. */
  public long getMaximumSize() {
    return maximumSize;
  }

  /**
   * Bounds memory to {@code maximumSize} entries; evictions are counted in the statistics
   * ({@code CacheEvictions}). With a tier below memory, an evicted entry is read back from it.
   *
   * @throws IllegalArgumentException when negative (use {@link #unbounded()} for no bound)
   */
  public CachetConfiguration<K, V> maximumSize(long maximumSize) {
    if (maximumSize < 0) {
      throw new IllegalArgumentException("maximumSize must be zero or positive, got "
          + maximumSize + "; call unbounded() for a cache without a bound");
    }
    this.maximumSize = maximumSize;
    return this;
  }

  /** Removes the entry bound (the default). */
  public CachetConfiguration<K, V> unbounded() {
    this.maximumSize = UNBOUNDED;
    return this;
  }

  /** The disk tier's directory, or null without one. */
  public Path getDiskDirectory() {
    return diskDirectory == null ? null : Path.of(diskDirectory);
  }

  /** Adds a disk tier in {@code directory} (needs the cachet-disk module on the class path). */
  public CachetConfiguration<K, V> disk(Path directory) {
    this.diskDirectory = Objects.requireNonNull(directory, "disk(directory) needs a directory")
        .toString();
    return this;
  }

  /** The Redis tier's URI, or null without one. */
  public String getRedisUri() {
    return redisUri;
  }

  /**
   * Adds a Redis tier (needs the cachet-redis module), below any disk tier.
   *
   * @param uri such as {@code redis://127.0.0.1:6379}
   */
  public CachetConfiguration<K, V> redis(String uri) {
    this.redisUri = Objects.requireNonNull(uri, "redis(uri) needs a URI such as"
        + " redis://127.0.0.1:6379");
    return this;
  }

  /** The tags this cache's entries carry in the tiers. */
  public List<String> getTags() {
    return Collections.unmodifiableList(tags);
  }

  /**
   * Tags this cache, so that {@link CachetCacheManager#invalidateTag(String)} (or any Cachet
   * sharing the tiers) drops its entries together with other caches carrying the tag.
   */
  public CachetConfiguration<K, V> tags(String... tags) {
    for (String t : tags) {
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("tags(...) got a null or blank tag; tags name groups"
            + " to invalidate together, such as \"tenant-42\"");
      }
      if (!this.tags.contains(t)) {
        this.tags.add(t);
      }
    }
    return this;
  }

  /** The deserialization filter pattern, or null for the JVM's or Cachet's default. */
  public String getSerialFilter() {
    return serialFilter;
  }

  /**
   * Sets the {@link java.io.ObjectInputFilter} pattern through which keys and values are read
   * back (from copies and from tiers), for example {@code "com.example.model.*;java.base/*;!*"}
   * to accept only the application's model and the JDK. Without one, the JVM-wide filter
   * ({@code jdk.serialFilter}) applies, or else Cachet's default, which bounds sizes and refuses
   * known deserialization gadgets.
   */
  public CachetConfiguration<K, V> serialFilter(String pattern) {
    this.serialFilter = pattern;
    return this;
  }

  /** Whether a tier below memory is configured. */
  public boolean hasTiers() {
    return diskDirectory != null || redisUri != null;
  }

  @Override
  public boolean equals(Object o) {
    if (!super.equals(o)) {
      return false;
    }
    if (!(o instanceof CachetConfiguration<?, ?> c)) {
      return true;
    }
    return policy == c.policy && maximumSize == c.maximumSize
        && Objects.equals(diskDirectory, c.diskDirectory) && Objects.equals(redisUri, c.redisUri)
        && tags.equals(c.tags) && Objects.equals(serialFilter, c.serialFilter);
  }

  @Override
  public int hashCode() {
    return super.hashCode();
  }

  @Override
  public String toString() {
    return "CachetConfiguration[policy=" + policy + ", maximumSize="
        + (maximumSize == UNBOUNDED ? "unbounded" : maximumSize)
        + (diskDirectory == null ? "" : ", disk=" + diskDirectory)
        + (redisUri == null ? "" : ", redis=" + redisUri)
        + (tags.isEmpty() ? "" : ", tags=" + tags)
        + ", keyType=" + getKeyType().getName() + ", valueType=" + getValueType().getName()
        + ", storeByValue=" + isStoreByValue() + ", readThrough=" + isReadThrough()
        + ", writeThrough=" + isWriteThrough() + ", statistics=" + isStatisticsEnabled()
        + ", management=" + isManagementEnabled() + "]";
  }
}
