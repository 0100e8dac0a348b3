package dev.cachet.spring.boot;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;

/**
 * Registers Cachet's meters with Micrometer when both Micrometer and the cachet-micrometer
 * module are on the class path.
 *
 * <p><b>To be finished when cachet-micrometer is integrated:</b> declare here a bean that binds
 * a {@code dev.cachet.micrometer.CachetCacheMetrics(cachet, cacheName, tags)} for each cache of
 * the {@link dev.cachet.spring.CachetCacheManager} (its {@code getCacheNames()} after startup,
 * and caches created on first use later) to the application's {@code MeterRegistry}. Until
 * then this configuration declares nothing. Classes are named by string so that the starter
 * does not depend on Micrometer or on cachet-micrometer.
 */
@AutoConfiguration(after = CachetAutoConfiguration.class, afterName = {
    // Spring Boot 3
    "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
    // Spring Boot 4
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"})
@ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry",
    "dev.cachet.micrometer.CachetCacheMetrics"})
public class CachetMetricsAutoConfiguration {

  /** Creates the auto-configuration; Spring does. */
  public CachetMetricsAutoConfiguration() {
  }
}
