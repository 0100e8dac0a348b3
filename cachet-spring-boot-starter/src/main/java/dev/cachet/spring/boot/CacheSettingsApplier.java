package dev.cachet.spring.boot;

import dev.cachet.CacheSpec;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * Turns the properties of one cache into Cachet settings, checking each value first so that a
 * bad one is reported with its property name and a fix, not with the name of a Java method.
 */
final class CacheSettingsApplier {
  private CacheSettingsApplier() {
  }

  /**
   * The settings of cache {@code name}.
   *
   * @param fleetWait the fleet single-flight wait to apply, or null for none (no Redis, or
   *     turned off)
   */
  static UnaryOperator<CacheSpec> settings(String name, CachetProperties.CacheSettings props,
      Duration fleetWait) {
    String prefix = "cachet.caches." + name + ".";
    Long maximumSize = props.getMaximumSize();
    if (maximumSize != null && maximumSize < 0) {
      throw new CachetPropertiesException(prefix + "maximum-size", "is " + maximumSize
          + "; give the largest number of entries to keep in memory, zero or more (such as"
          + " 1000), or leave it out for the default of 10000", null);
    }
    Duration ttl = positive(prefix + "expire-after-write", props.getExpireAfterWrite());
    Duration tti = positive(prefix + "expire-after-access", props.getExpireAfterAccess());
    for (String tag : props.getTags()) {
      if (tag == null || tag.isBlank()) {
        throw new CachetPropertiesException(prefix + "tags", "contains a blank tag; tags name"
            + " groups of entries to invalidate together, such as catalog,tenant-42", null);
      }
    }
    String version = props.getVersion();
    return spec -> {
      CacheSpec s = spec;
      if (maximumSize != null) {
        s = s.maximumSize(maximumSize);
      }
      if (ttl != null) {
        s = s.expireAfterWrite(ttl);
      }
      if (tti != null) {
        s = s.expireAfterAccess(tti);
      }
      if (props.getPolicy() != null) {
        s = s.policy(props.getPolicy());
      }
      if (!props.getTags().isEmpty()) {
        s = s.tags(props.getTags().toArray(String[]::new));
      }
      if (version != null) {
        try {
          s = s.version(version);
        } catch (IllegalArgumentException e) {
          throw new CachetPropertiesException(prefix + "version", e.getMessage(), e);
        }
      }
      if (fleetWait != null) {
        s = s.fleetSingleFlight(fleetWait);
      }
      return s;
    };
  }

  /**
   * The fleet single-flight wait of a cache: its own setting, else the store-wide one; null
   * without Redis or when zero.
   */
  static Duration fleetWait(String property, Duration wait, boolean redis) {
    if (wait == null) {
      return null;
    }
    if (wait.isNegative()) {
      throw new CachetPropertiesException(property, "is " + wait + "; give how long a process"
          + " may wait for another one computing the same key, such as 30s, or 0 to turn fleet"
          + " single-flight off", null);
    }
    return redis && !wait.isZero() ? wait : null;
  }

  private static Duration positive(String property, Duration d) {
    if (d != null && (d.isZero() || d.isNegative())) {
      throw new CachetPropertiesException(property, "is " + d + "; give a positive duration"
          + " such as 30s, 10m or 2h, or leave it out for entries that do not expire this way",
          null);
    }
    return d;
  }
}
