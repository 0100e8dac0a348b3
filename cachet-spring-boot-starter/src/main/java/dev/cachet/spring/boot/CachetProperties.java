package dev.cachet.spring.boot;

import dev.cachet.EvictionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code cachet.*} properties: the store-wide tiers and each cache's own settings, which
 * Spring's cache abstraction has no place for.
 *
 * <pre>
 * cachet.disk=/var/cache/myapp
 * cachet.redis=redis://127.0.0.1:6379
 * cachet.caches.books.maximum-size=1000
 * cachet.caches.books.expire-after-write=10m
 * cachet.caches.books.policy=lru
 * cachet.caches.books.tags=catalog
 * cachet.caches.books.value-type=com.example.Book
 * </pre>
 *
 * <p>An unknown property under {@code cachet} fails the application's start, naming it: a
 * misspelt setting must not be silently ignored.
 */
@ConfigurationProperties(prefix = "cachet", ignoreUnknownFields = false)
public class CachetProperties {
  /**
   * Directory of a persistent disk tier below memory (needs the cachet-disk module): cached
   * values survive restarts and are shared by the processes using the directory.
   */
  private Path disk;

  /**
   * URI of a Redis tier shared by the fleet (needs the cachet-redis module), such as
   * redis://127.0.0.1:6379; see Cachet's docs/REDIS-FORMAT.md for the options.
   */
  private String redis;

  /**
   * With Redis: how long a process waits for another process computing the same missing key
   * before computing it itself (fleet single-flight); 0 turns fleet single-flight off.
   */
  private Duration fleetSingleFlight = Duration.ofSeconds(30);

  /** Whether null values are cached; when false, storing a null fails. */
  private boolean allowNullValues = true;

  /**
   * Whether caches not listed under cachet.caches are created on first use with the defaults;
   * when false, using one fails with Spring's unknown-cache error.
   */
  private boolean dynamic = true;

  /** Settings per cache name. */
  private Map<String, CacheSettings> caches = new LinkedHashMap<>();

  /** Settings with no tier and the defaults below; Spring Boot binds the properties onto them. */
  public CachetProperties() {
  }

  /** The disk tier's directory, or null for none. */
  public Path getDisk() {
    return disk;
  }

  /** Sets the disk tier's directory; null for none. */
  public void setDisk(Path disk) {
    this.disk = disk;
  }

  /** The Redis tier's URI, or null for none. */
  public String getRedis() {
    return redis;
  }

  /** Sets the Redis tier's URI; null for none. */
  public void setRedis(String redis) {
    this.redis = redis;
  }

  /** The longest wait for another process's computation of a key; zero for none. */
  public Duration getFleetSingleFlight() {
    return fleetSingleFlight;
  }

  /** Sets the longest wait for another process's computation; zero turns it off. */
  public void setFleetSingleFlight(Duration fleetSingleFlight) {
    this.fleetSingleFlight = fleetSingleFlight;
  }

  /** Whether null values are cached. */
  public boolean isAllowNullValues() {
    return allowNullValues;
  }

  /** Sets whether null values are cached. */
  public void setAllowNullValues(boolean allowNullValues) {
    this.allowNullValues = allowNullValues;
  }

  /** Whether caches not configured are created on first use. */
  public boolean isDynamic() {
    return dynamic;
  }

  /** Sets whether caches not configured are created on first use. */
  public void setDynamic(boolean dynamic) {
    this.dynamic = dynamic;
  }

  /** The settings per cache name; never null. */
  public Map<String, CacheSettings> getCaches() {
    return caches;
  }

  /** Replaces the settings per cache name. */
  public void setCaches(Map<String, CacheSettings> caches) {
    this.caches = caches == null ? new LinkedHashMap<>() : caches;
  }

  /** The settings of one cache; unset ones keep Cachet's defaults. */
  public static class CacheSettings {
    /** Maximum number of entries held in memory (10000 by default). */
    private Long maximumSize;

    /** How long after it was written an entry expires, such as 10m. */
    private Duration expireAfterWrite;

    /** How long after it was last read or written an entry expires, such as 1h. */
    private Duration expireAfterAccess;

    /** Eviction policy: adaptive (W-TinyLFU, the default), lru, lfu or fifo. */
    private EvictionPolicy policy;

    /** Tags of every entry, for Cachet.invalidateTag across caches and processes. */
    private List<String> tags = new ArrayList<>();

    /**
     * Type the disk and Redis tiers decode values into (a class name such as
     * com.example.Book); without it only strings, numbers, booleans and lists and maps of them
     * leave memory.
     */
    private Class<?> valueType;

    /**
     * Version of the entries in the tiers below memory: change it when what the values mean
     * changes, so old entries are no longer read.
     */
    private String version;

    /** Overrides cachet.fleet-single-flight for this cache; 0 turns it off. */
    private Duration fleetSingleFlight;

    /** Settings that all keep Cachet's defaults; Spring Boot binds the properties onto them. */
    public CacheSettings() {
    }

    /** The entry bound, or null for the default. */
    public Long getMaximumSize() {
      return maximumSize;
    }

    /** Sets the entry bound. */
    public void setMaximumSize(Long maximumSize) {
      this.maximumSize = maximumSize;
    }

    /** The time to live, or null for none. */
    public Duration getExpireAfterWrite() {
      return expireAfterWrite;
    }

    /** Sets the time to live. */
    public void setExpireAfterWrite(Duration expireAfterWrite) {
      this.expireAfterWrite = expireAfterWrite;
    }

    /** The time to idle, or null for none. */
    public Duration getExpireAfterAccess() {
      return expireAfterAccess;
    }

    /** Sets the time to idle. */
    public void setExpireAfterAccess(Duration expireAfterAccess) {
      this.expireAfterAccess = expireAfterAccess;
    }

    /** The eviction policy, or null for the default. */
    public EvictionPolicy getPolicy() {
      return policy;
    }

    /** Sets the eviction policy. */
    public void setPolicy(EvictionPolicy policy) {
      this.policy = policy;
    }

    /** The tags; never null. */
    public List<String> getTags() {
      return tags;
    }

    /** Sets the tags. */
    public void setTags(List<String> tags) {
      this.tags = tags == null ? new ArrayList<>() : tags;
    }

    /** The values' type for the tiers below memory, or null for {@code Object}. */
    public Class<?> getValueType() {
      return valueType;
    }

    /** Sets the values' type for the tiers below memory. */
    public void setValueType(Class<?> valueType) {
      this.valueType = valueType;
    }

    /** The entries' version, or null for none. */
    public String getVersion() {
      return version;
    }

    /** Sets the entries' version. */
    public void setVersion(String version) {
      this.version = version;
    }

    /** This cache's fleet single-flight wait, or null for the store-wide one. */
    public Duration getFleetSingleFlight() {
      return fleetSingleFlight;
    }

    /** Sets this cache's fleet single-flight wait; zero turns it off. */
    public void setFleetSingleFlight(Duration fleetSingleFlight) {
      this.fleetSingleFlight = fleetSingleFlight;
    }
  }
}
