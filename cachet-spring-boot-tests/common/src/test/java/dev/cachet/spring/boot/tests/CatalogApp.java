package dev.cachet.spring.boot.tests;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/** An application using the starter as users do: caching enabled, no cache beans of its own. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableCaching
public class CatalogApp {
  @Bean
  Catalog catalog(CacheManager cacheManager) {
    return new Catalog(cacheManager);
  }
}
