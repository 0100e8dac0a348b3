package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cachet;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * The Spring {@link Cache} contract, as Spring's own cache implementations honour it (Spring's
 * {@code AbstractCacheTests} fixtures are not published to Maven Central, so these tests cover
 * the same ground): absent versus cached null, typed reads, loaders, async retrieval, evictions.
 */
class CachetSpringCacheTest {
  private final Cachet cachet = Cachet.create();
  private final CachetCacheManager manager = new CachetCacheManager(cachet);
  private final Cache cache = manager.getCache("books");

  @Test
  void anAbsentKeyHasNoEntryAndAPutOneHasItsValue() {
    assertThat(cache.get("isbn-1")).isNull();
    cache.put("isbn-1", "Dune");
    assertThat(cache.get("isbn-1")).isNotNull();
    assertThat(cache.get("isbn-1").get()).isEqualTo("Dune");
    assertThat(cache.get("isbn-1", String.class)).isEqualTo("Dune");
  }

  @Test
  void aCachedNullIsPresentAndDistinctFromAnAbsentKey() {
    cache.put("missing-book", null);
    assertThat(cache.get("missing-book")).isNotNull();
    assertThat(cache.get("missing-book").get()).isNull();
    assertThat(cache.get("never-put")).isNull();
  }

  @Test
  void aTypedReadOfAValueOfAnotherTypeFails() {
    cache.put("isbn-2", 42);
    assertThatThrownBy(() -> cache.get("isbn-2", String.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("java.lang.Integer")
        .hasMessageContaining("java.lang.String");
    assertThat(cache.get("isbn-2", (Class<Object>) null)).isEqualTo(42);
  }

  @Test
  void aLoaderRunsOnlyForAnAbsentKey() {
    AtomicInteger calls = new AtomicInteger();
    assertThat(cache.get("k", () -> "v" + calls.incrementAndGet())).isEqualTo("v1");
    assertThat(cache.get("k", () -> "v" + calls.incrementAndGet())).isEqualTo("v1");
    assertThat(calls).hasValue(1);
  }

  @Test
  void aLoaderMayCacheNull() {
    AtomicInteger calls = new AtomicInteger();
    Object loaded = cache.get("k", () -> {
      calls.incrementAndGet();
      return null;
    });
    assertThat(loaded).isNull();
    Object again = cache.get("k", () -> "not called");
    assertThat(again).isNull();
    assertThat(calls).hasValue(1);
  }

  @Test
  void aLoaderFailureIsWrappedAndNothingIsCached() {
    IOException failure = new IOException("catalog down");
    assertThatThrownBy(() -> cache.get("k", () -> {
      throw failure;
    })).isInstanceOf(Cache.ValueRetrievalException.class).hasCause(failure);
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void putIfAbsentKeepsThePresentValue() {
    assertThat(cache.putIfAbsent("k", "first")).isNull();
    Cache.ValueWrapper existing = cache.putIfAbsent("k", "second");
    assertThat(existing).isNotNull();
    assertThat(existing.get()).isEqualTo("first");
    assertThat(cache.get("k").get()).isEqualTo("first");
  }

  @Test
  void evictionsRemoveEntries() {
    cache.put("a", 1);
    cache.put("b", 2);
    cache.evict("a");
    assertThat(cache.get("a")).isNull();
    assertThat(cache.evictIfPresent("b")).isTrue();
    assertThat(cache.evictIfPresent("b")).isFalse();
    cache.put("c", 3);
    cache.clear();
    assertThat(cache.get("c")).isNull();
    cache.put("d", 4);
    assertThat(cache.invalidate()).isTrue();
    assertThat(cache.get("d")).isNull();
    assertThat(cache.invalidate()).isFalse();
  }

  @Test
  void keysAreComparedByValueIncludingSpringsCompositeKeys() {
    cache.put(new SimpleKey("tolkien", 1954), "The Fellowship of the Ring");
    assertThat(cache.get(new SimpleKey("tolkien", 1954)).get())
        .isEqualTo("The Fellowship of the Ring");
    assertThat(cache.get(new SimpleKey("tolkien", 1955))).isNull();
    cache.put(SimpleKey.EMPTY, "no arguments");
    assertThat(cache.get(new SimpleKey()).get()).isEqualTo("no arguments");
  }

  @Test
  void retrieveGivesNullWhenAbsentAndAWrapperWhenNullsAreAllowed() throws Exception {
    assertThat(cache.retrieve("k")).isNull();
    cache.put("k", "v");
    cache.put("nothing", null);
    assertThat(((Cache.ValueWrapper) get(cache.retrieve("k"))).get()).isEqualTo("v");
    assertThat(((Cache.ValueWrapper) get(cache.retrieve("nothing"))).get()).isNull();
  }

  @Test
  void retrieveWithALoaderCachesItsValueAndPassesOnItsFailure() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    assertThat(get(cache.retrieve("k",
        () -> CompletableFuture.completedFuture("v" + calls.incrementAndGet())))).isEqualTo("v1");
    assertThat(get(cache.retrieve("k",
        () -> CompletableFuture.completedFuture("v" + calls.incrementAndGet())))).isEqualTo("v1");
    assertThat(calls).hasValue(1);

    IOException failure = new IOException("catalog down");
    CompletableFuture<Object> failed = cache.retrieve("other",
        () -> CompletableFuture.failedFuture(failure));
    assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).hasCause(failure);
    assertThat(cache.get("other")).isNull();
  }

  @Test
  void concurrentAsyncRetrievalsOfOneKeyShareOneLoad() throws Exception {
    int callers = 8;
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<String> pending = new CompletableFuture<>();
    java.util.List<CompletableFuture<String>> results = new java.util.ArrayList<>();
    for (int i = 0; i < callers; i++) {
      results.add(cache.retrieve("k", () -> {
        loads.incrementAndGet();
        return pending;
      }));
    }
    // Each caller but the loading one joins the load, which Cachet counts as a hit.
    dev.cachet.Cache<?, ?> nativeCache = (dev.cachet.Cache<?, ?>) cache.getNativeCache();
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (nativeCache.stats().hits() < callers - 1 && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
    pending.complete("v");
    for (CompletableFuture<String> result : results) {
      assertThat(get(result)).isEqualTo("v");
    }
    assertThat(loads).hasValue(1);
  }

  @Test
  void withoutNullValuesStoringNullFailsAndRetrieveGivesPlainValues() throws Exception {
    Cache strict = CachetCacheManager.builder(cachet).allowNullValues(false).build()
        .getCache("strict");
    assertThatThrownBy(() -> strict.put("k", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'strict'")
        .hasMessageContaining("unless");
    assertThatThrownBy(() -> strict.get("k", () -> null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(strict.get("k")).isNull();
    strict.put("k", "v");
    assertThat(get(strict.retrieve("k"))).isEqualTo("v");
  }

  @Test
  void theNativeCacheIsTheCachetCacheWithItsStatistics() {
    cache.put("k", "v");
    cache.get("k");
    cache.get("absent");
    dev.cachet.Cache<?, ?> nativeCache = (dev.cachet.Cache<?, ?>) cache.getNativeCache();
    assertThat(nativeCache.name()).isEqualTo("books");
    assertThat(nativeCache.stats().hits()).isEqualTo(1);
    assertThat(nativeCache.stats().misses()).isEqualTo(1);
  }

  private static Object get(CompletableFuture<?> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }
}
