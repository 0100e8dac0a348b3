package dev.cachet.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.spring.CachetCacheManager;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The starter's beans give way to the application's own. */
class BackOffTest {

  @Configuration
  @Import(CatalogApp.class)
  static class OwnCacheManagerApp {
    @Bean
    CacheManager myCacheManager() {
      return new ConcurrentMapCacheManager("books");
    }
  }

  @Configuration
  @Import(CatalogApp.class)
  static class OwnCachetApp {
    static final Cachet MINE = Cachet.builder().maximumSize(5).build();

    @Bean
    Cachet myCachet() {
      return MINE;
    }
  }

  @Test
  void anApplicationsOwnCacheManagerReplacesCachets() {
    try (ConfigurableApplicationContext context = run(OwnCacheManagerApp.class)) {
      assertThat(context.getBeansOfType(CacheManager.class)).hasSize(1);
      assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
      Catalog catalog = context.getBean(Catalog.class);
      catalog.book("isbn-1");
      catalog.book("isbn-1");
      assertThat(catalog.calls("isbn-1")).isEqualTo(1);
    }
  }

  @Test
  void anApplicationsOwnCachetIsTheOneTheCacheManagerUses() {
    try (ConfigurableApplicationContext context = run(OwnCachetApp.class)) {
      assertThat(context.getBeansOfType(Cachet.class)).hasSize(1);
      CachetCacheManager manager = context.getBean(CachetCacheManager.class);
      assertThat(manager.cachet()).isSameAs(OwnCachetApp.MINE);
    }
  }

  static ConfigurableApplicationContext run(Class<?> app, String... properties) {
    return new SpringApplicationBuilder(app).web(WebApplicationType.NONE)
        .properties(properties).run();
  }
}
