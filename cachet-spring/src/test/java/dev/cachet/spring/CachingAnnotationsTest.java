package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Spring's caching annotations on a bean of a real application context, over Cachet. */
class CachingAnnotationsTest {
  private final AnnotationConfigApplicationContext context =
      new AnnotationConfigApplicationContext(App.class);
  private final Catalog catalog = context.getBean(Catalog.class);

  @AfterEach
  void close() {
    context.close();
  }

  @Test
  void cacheableRunsTheMethodOncePerKey() {
    assertThat(catalog.title("isbn-1")).isEqualTo("title of isbn-1");
    assertThat(catalog.title("isbn-1")).isEqualTo("title of isbn-1");
    assertThat(catalog.title("isbn-2")).isEqualTo("title of isbn-2");
    assertThat(catalog.calls("isbn-1")).isEqualTo(1);
    assertThat(catalog.calls("isbn-2")).isEqualTo(1);
  }

  @Test
  void aNullResultIsCachedLikeAnyOther() {
    assertThat(catalog.title("unknown")).isNull();
    assertThat(catalog.title("unknown")).isNull();
    assertThat(catalog.calls("unknown")).isEqualTo(1);
  }

  @Test
  void cachePutReplacesTheCachedValue() {
    catalog.title("isbn-1");
    assertThat(catalog.rename("isbn-1", "Dune")).isEqualTo("Dune");
    assertThat(catalog.title("isbn-1")).isEqualTo("Dune");
    assertThat(catalog.calls("isbn-1")).isEqualTo(1);
  }

  @Test
  void cacheEvictAllEntriesEmptiesTheCache() {
    catalog.title("isbn-1");
    catalog.title("isbn-2");
    catalog.reload();
    catalog.title("isbn-1");
    catalog.title("isbn-2");
    assertThat(catalog.calls("isbn-1")).isEqualTo(2);
    assertThat(catalog.calls("isbn-2")).isEqualTo(2);
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

  @Test
  void aSyncMethodsExceptionReachesTheCallerAndNothingIsCached() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog.failingTitle("isbn-5"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("catalog down for isbn-5");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog.failingTitle("isbn-5"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(catalog.calls("failing:isbn-5")).isEqualTo(2);
  }

  @Test
  void cacheableAsyncMethodsAreCachedThroughRetrieve() throws Exception {
    assertThat(catalog.titleAsync("isbn-3").get(10, TimeUnit.SECONDS))
        .isEqualTo("async title of isbn-3");
    assertThat(catalog.titleAsync("isbn-3").get(10, TimeUnit.SECONDS))
        .isEqualTo("async title of isbn-3");
    assertThat(catalog.calls("async:isbn-3")).isEqualTo(1);
  }

  @Configuration
  @EnableCaching
  static class App {
    @Bean(destroyMethod = "close")
    Cachet cachet() {
      return Cachet.create();
    }

    @Bean
    CacheManager cacheManager(Cachet cachet) {
      return new CachetCacheManager(cachet);
    }

    @Bean
    Catalog catalog(CacheManager cacheManager) {
      return new Catalog(cacheManager);
    }
  }

  /** A service whose methods count their calls per key. */
  static class Catalog {
    private final CacheManager cacheManager;
    private final ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private volatile boolean sawAllWaiters;

    Catalog(CacheManager cacheManager) {
      this.cacheManager = cacheManager;
    }

    /** Read through a method: the bean is a proxy, whose own fields are not the target's. */
    public boolean sawAllWaiters() {
      return sawAllWaiters;
    }

    public int calls(String key) {
      AtomicInteger count = calls.get(key);
      return count == null ? 0 : count.get();
    }

    private void count(String key) {
      calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    @Cacheable("titles")
    public String title(String isbn) {
      count(isbn);
      return isbn.equals("unknown") ? null : "title of " + isbn;
    }

    @CachePut(cacheNames = "titles", key = "#isbn")
    public String rename(String isbn, String title) {
      return title;
    }

    @CacheEvict(cacheNames = "titles", allEntries = true)
    public void reload() {
    }

    /**
     * Waits, bounded, until {@code waiters} other callers are waiting for this computation
     * (Cachet counts each as a hit when it joins the flight): without single-flight they would
     * run this method themselves instead.
     */
    @Cacheable(cacheNames = "slow", sync = true)
    public String slowTitle(String isbn, int waiters) {
      count("slow:" + isbn);
      dev.cachet.Cache<?, ?> slow =
          (dev.cachet.Cache<?, ?>) cacheManager.getCache("slow").getNativeCache();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (slow.stats().hits() < waiters && System.nanoTime() - deadline < 0) {
        Thread.onSpinWait();
      }
      sawAllWaiters = slow.stats().hits() >= waiters;
      return "slow title of " + isbn;
    }

    @Cacheable(cacheNames = "failing", sync = true)
    public String failingTitle(String isbn) {
      count("failing:" + isbn);
      throw new IllegalStateException("catalog down for " + isbn);
    }

    @Cacheable("asyncTitles")
    public CompletableFuture<String> titleAsync(String isbn) {
      count("async:" + isbn);
      return CompletableFuture.supplyAsync(() -> "async title of " + isbn);
    }
  }
}
