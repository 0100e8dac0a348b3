package dev.cachet.spring.boot;

import dev.cachet.Cachet;
import dev.cachet.spring.CachetCacheManager;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures a {@link Cachet} from the {@code cachet.*} properties and a
 * {@link CachetCacheManager} over it, so that {@code @Cacheable} and friends use Cachet.
 *
 * <p>Each bean backs off when the application defines its own: its own {@code Cachet} is then
 * used by the manager, and its own {@code CacheManager} (of whatever kind) replaces Cachet's.
 * Runs before Spring Boot's cache auto-configuration, named by string because Boot 4 moved it
 * to another package, so that Boot's backs off in turn.
 */
@AutoConfiguration(beforeName = {
    // Spring Boot 3
    "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration",
    // Spring Boot 4 (module spring-boot-cache)
    "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration"})
@ConditionalOnClass({Cachet.class, CacheManager.class})
@EnableConfigurationProperties(CachetProperties.class)
public class CachetAutoConfiguration {

  /** Creates the auto-configuration; Spring does. */
  public CachetAutoConfiguration() {
  }

  /**
   * The application's Cachet, with the tiers of {@code cachet.disk} and {@code cachet.redis};
   * closed when the application context closes.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Cachet cachet(CachetProperties properties) {
    Cachet.Builder builder = Cachet.builder();
    if (properties.getDisk() != null) {
      builder = builder.disk(properties.getDisk());
    }
    String redis = properties.getRedis();
    if (redis != null && !redis.isBlank()) {
      if (!redis.startsWith("redis://") && !redis.startsWith("rediss://")
          && !redis.startsWith("redis-sentinel://")) {
        throw new CachetPropertiesException("cachet.redis", "is \"" + redis + "\"; give a"
            + " Redis URI such as redis://127.0.0.1:6379 (rediss:// for TLS,"
            + " redis-sentinel://host:26379?master=NAME for Sentinel)", null);
      }
      builder = builder.redis(redis);
    }
    return builder.build();
  }

  /**
   * A cache manager over the Cachet, with the caches of {@code cachet.caches.*} built (and
   * their settings checked) at startup; unless the application defines a {@code CacheManager}.
   */
  @Bean
  @ConditionalOnMissingBean(CacheManager.class)
  public CachetCacheManager cacheManager(Cachet cachet, CachetProperties properties) {
    boolean redis = cachet.tiers().stream()
        .anyMatch(store -> store.invalidationBus().isPresent());
    Duration storeWideWait = CacheSettingsApplier.fleetWait("cachet.fleet-single-flight",
        properties.getFleetSingleFlight(), redis);
    CachetCacheManager.Builder builder = CachetCacheManager.builder(cachet)
        .allowNullValues(properties.isAllowNullValues())
        .dynamic(properties.isDynamic());
    if (storeWideWait != null) {
      builder = builder.otherCaches(spec -> spec.fleetSingleFlight(storeWideWait));
    }
    for (Map.Entry<String, CachetProperties.CacheSettings> entry
        : properties.getCaches().entrySet()) {
      String name = entry.getKey();
      CachetProperties.CacheSettings settings = entry.getValue();
      Duration wait = settings.getFleetSingleFlight() == null ? storeWideWait
          : CacheSettingsApplier.fleetWait("cachet.caches." + name + ".fleet-single-flight",
              settings.getFleetSingleFlight(), redis);
      builder = builder.cache(name, CacheSettingsApplier.settings(name, settings, wait),
          settings.getValueType() == null ? Object.class : settings.getValueType());
    }
    return builder.build();
  }
}
