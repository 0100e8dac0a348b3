package dev.cachet.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * With Micrometer and the actuator on the class path, the caches behind {@code @Cacheable}
 * show up under Micrometer's standard cache meter names, in the application's registry and in
 * the actuator's metrics endpoint, as an operator would read them. The endpoint is called
 * through its bean, found by name, since Spring Boot 4 moved its class to another package.
 */
@SpringBootTest(classes = CatalogApp.class, properties = {
    "spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=metrics"})
class MetricsAppTest {
  @Autowired
  Catalog catalog;
  @Autowired
  MeterRegistry registry;
  @Autowired
  ApplicationContext context;

  @Test
  void cacheableHitsAndMissesAreMeteredUnderTheStandardNames() throws Exception {
    catalog.book("metrics-1");
    catalog.book("metrics-1");
    catalog.book("metrics-1");
    catalog.book("metrics-2");

    assertThat(registry.get("cache.gets").tags("cache", "books", "result", "hit",
        "cache.manager", "cacheManager").functionCounter().count()).isEqualTo(2.0);
    assertThat(registry.get("cache.gets").tags("cache", "books", "result", "miss")
        .functionCounter().count()).isEqualTo(2.0);
    assertThat(registry.get("cachet.tier.hits").tags("cache", "books", "tier", "memory")
        .functionCounter().count()).isEqualTo(2.0);

    // Boot's own cache-metrics registrar also binds them, through the starter's provider for
    // this Boot's interface; the registry keeps one meter per name and tags.
    assertThat(context.getBean("cachetCacheMeterBinderProvider").getClass().getSimpleName())
        .isEqualTo(org.springframework.boot.SpringBootVersion.getVersion().startsWith("3.")
            ? "Boot3CacheMeterBinderProvider" : "Boot4CacheMeterBinderProvider");
    assertThat(registry.find("cache.gets").tags("cache", "books").meters()).hasSize(2);

    Object endpoint = context.getBean("metricsEndpoint");
    Method metric = endpoint.getClass().getMethod("metric", String.class, List.class);
    Object hits = metric.invoke(endpoint, "cache.gets", List.of("cache:books", "result:hit"));
    assertThat(hits).as("the endpoint knows cache.gets for books").isNotNull();
    Object samples = hits.getClass().getMethod("getMeasurements").invoke(hits);
    Object first = ((List<?>) samples).get(0);
    assertThat((Double) first.getClass().getMethod("getValue").invoke(first)).isEqualTo(2.0);
  }
}
