package dev.cachet.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.spring.CachetCacheManager;
import dev.cachet.spring.CachetSpringCache;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.CacheManager;

@SpringBootTest(classes = CatalogApp.class)
class CacheableAppTest {
  @Autowired
  Catalog catalog;
  @Autowired
  CacheManager cacheManager;
  @Autowired
  Cachet cachet;

  @Autowired
  org.springframework.context.ApplicationContext context;

  @Test
  void theStarterProvidesCachetsCacheManagerOverTheApplicationsCachet() {
    // Boot's own cache auto-configuration is on the class path and must have backed off.
    assertThat(context.getBeansOfType(CacheManager.class)).hasSize(1);
    assertThat(cacheManager).isInstanceOf(CachetCacheManager.class);
    assertThat(((CachetCacheManager) cacheManager).cachet()).isSameAs(cachet);
    assertThat(cacheManager.getCache("books")).isInstanceOf(CachetSpringCache.class);
  }

  @Test
  void cacheableMethodsRunOncePerKey() {
    Catalog.Book first = catalog.book("isbn-1");
    assertThat(catalog.book("isbn-1")).isEqualTo(first);
    assertThat(catalog.calls("isbn-1")).isEqualTo(1);
    assertThat(cachet.stats().get("books").hits()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void syncCacheableComputesOnceWhileManyThreadsAsk() throws Exception {
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> catalog.slowTitle("isbn-9", threads - 1)));
      }
      for (Future<String> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("slow title of isbn-9");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(catalog.calls("slow:isbn-9")).isEqualTo(1);
    assertThat(catalog.sawAllWaiters()).isTrue();
  }
}
