package dev.cachet.spring.boot;

import dev.cachet.Cachet;
import dev.cachet.micrometer.CachetCacheMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers Cachet's meters with the application's Micrometer registry when both Micrometer and
 * the cachet-micrometer module are on the class path: Micrometer's standard {@code cache.*}
 * meters for every cache of the application's {@link Cachet} (the ones configured under
 * {@code cachet.caches} and those created on first use later), tagged
 * {@code cache.manager=cacheManager} as Spring Boot tags its own caches, plus Cachet's
 * {@code cachet.*} meters for hits by tier and the disk and Redis tiers.
 *
 * <p>Spring Boot binds every {@link MeterBinder} bean to its registry, so this declares one,
 * which also follows caches created after start-up. It also declares a cache-metrics provider
 * for Boot's own registrar (Boot 3's or Boot 4's interface, whichever is present), which binds
 * the same meters under the same names and tags, so the registry keeps one of each. Classes are named by string in the condition, so an
 * application without Micrometer never loads this class's dependencies.
 */
@AutoConfiguration(after = CachetAutoConfiguration.class, afterName = {
    // Spring Boot 3
    "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
    // Spring Boot 4
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"})
@ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry",
    "dev.cachet.micrometer.CachetCacheMetrics"})
public class CachetMetricsAutoConfiguration {

  /** The tag Spring Boot puts on the meters of a cache manager's caches, and our value. */
  static final String CACHE_MANAGER_TAG = "cache.manager";

  /** Creates the auto-configuration; Spring does. */
  public CachetMetricsAutoConfiguration() {
  }

  /**
   * Binds the meters of every cache of the application's {@link Cachet}, present and future,
   * and of its tiers; binds nothing when the application has no single Cachet bean.
   *
   * @param cachet the application's Cachet, ours or its own
   * @return a binder Spring Boot applies to its registry
   */
  @Bean
  public MeterBinder cachetMeterBinder(ObjectProvider<Cachet> cachet) {
    return registry -> {
      Cachet unique = cachet.getIfUnique();
      if (unique != null) {
        CachetCacheMetrics.monitorAll(registry, unique, CACHE_MANAGER_TAG, "cacheManager");
      }
    };
  }

  /** Boot 3's cache-metrics provider for Cachet's caches, when Boot 3's interface is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.metrics.cache.CacheMeterBinderProvider")
  static class Boot3Provider {
    @Bean
    Boot3CacheMeterBinderProvider cachetCacheMeterBinderProvider(Cachet cachet) {
      return new Boot3CacheMeterBinderProvider(cachet);
    }
  }

  /** Boot 4's cache-metrics provider for Cachet's caches, when Boot 4's interface is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.cache.metrics.CacheMeterBinderProvider")
  static class Boot4Provider {
    @Bean
    Boot4CacheMeterBinderProvider cachetCacheMeterBinderProvider(Cachet cachet) {
      return new Boot4CacheMeterBinderProvider(cachet);
    }
  }
}
