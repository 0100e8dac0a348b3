package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.stats.CacheEvent;
import dev.cachet.stats.RemovalCause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CacheTest {

  @Test
  void plainCacheLoadsOncePutsAndInvalidates() {
    Cache<String, Integer> users = Cachet.create().cache("users");
    AtomicInteger loads = new AtomicInteger();
    assertThat(users.get("ann", k -> 10 + loads.incrementAndGet())).isEqualTo(11);
    assertThat(users.get("ann", k -> 10 + loads.incrementAndGet())).isEqualTo(11);
    assertThat(users.getIfPresent("bob")).isNull();

    users.put("bob", 7);
    assertThat(users.getIfPresent("bob")).isEqualTo(7);
    assertThat(users.invalidate("bob")).isTrue();
    assertThat(users.getIfPresent("bob")).isNull();

    users.invalidateAll();
    assertThat(users.estimatedSize()).isZero();
    assertThat(users.stats().hits()).isEqualTo(2);
    assertThat(users.stats().misses()).isEqualTo(3);
    assertThat(users.stats().invalidations()).isEqualTo(2);
    assertThat(loads).hasValue(1);
  }

  @Test
  void plainCacheKeysAreSnapshotsToo() {
    Cache<List<String>, String> c = Cachet.create().cache("lists");
    List<String> key = new ArrayList<>(List.of("a"));
    c.put(key, "first");
    key.add("b");
    assertThat(c.getIfPresent(List.of("a"))).isEqualTo("first");
    assertThat(c.getIfPresent(key)).isNull();
  }

  @Test
  void ignoreMakesNoSenseOnAPlainCache() {
    assertThatThrownBy(() -> Cachet.create().function("c").ignore("x").cache())
        .hasMessageContaining("not to a plain cache's keys");
  }

  @Test
  void listenersSeeEveryKindOfEventAndStatsCountThem() {
    FakeTicker ticker = new FakeTicker();
    List<CacheEvent> events = Collections.synchronizedList(new ArrayList<>());
    Cachet cachet = Cachet.builder().ticker(ticker).policy(EvictionPolicy.LRU).maximumSize(1)
        .expireAfterWrite(Duration.ofSeconds(10)).listener(events::add).build();
    var f = cachet.memoize("f", (Integer x) -> {
      if (x < 0) {
        throw new IllegalArgumentException("negative");
      }
      return x;
    });

    f.apply(1);                 // miss, load
    f.apply(1);                 // hit
    f.apply(2);                 // miss, load, evicts 1 by size
    assertThatThrownBy(() -> f.apply(-1)).hasMessage("negative");
    f.invalidate(2);            // invalidation
    f.apply(3);
    ticker.advance(Duration.ofSeconds(11));
    f.apply(3);                 // expired: miss again

    List<CacheEvent.Type> types = events.stream().map(CacheEvent::type).toList();
    assertThat(types).contains(CacheEvent.Type.HIT, CacheEvent.Type.MISS,
        CacheEvent.Type.LOAD_SUCCESS, CacheEvent.Type.LOAD_FAILURE, CacheEvent.Type.EVICTION,
        CacheEvent.Type.INVALIDATION);
    assertThat(events).filteredOn(e -> e.type() == CacheEvent.Type.EVICTION)
        .extracting(CacheEvent::cause).contains(RemovalCause.SIZE, RemovalCause.EXPIRED);
    assertThat(events).filteredOn(e -> e.type() == CacheEvent.Type.INVALIDATION)
        .extracting(CacheEvent::cause).containsExactly(RemovalCause.EXPLICIT);
    assertThat(events).filteredOn(e -> e.type() == CacheEvent.Type.LOAD_FAILURE)
        .first().extracting(CacheEvent::failure).isInstanceOf(IllegalArgumentException.class);
    assertThat(events).allMatch(e -> e.cacheName().equals("f"));

    var stats = f.stats();
    assertThat(stats.hits()).isEqualTo(1);
    assertThat(stats.misses()).isEqualTo(5);
    assertThat(stats.loadSuccesses()).isEqualTo(4);
    assertThat(stats.loadFailures()).isEqualTo(1);
    assertThat(stats.evictionsBySize()).isEqualTo(1);
    assertThat(stats.expirations()).isEqualTo(1);
    assertThat(stats.invalidations()).isEqualTo(1);
    assertThat(stats.size()).isEqualTo(1);
    assertThat(stats.totalLoadTimeNanos()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void aFailingListenerCannotBreakTheCaller() {
    Cachet cachet = Cachet.builder().listener(e -> {
      throw new IllegalStateException("listener bug");
    }).build();
    var f = cachet.memoize("f", (Integer x) -> x + 1);
    assertThat(f.apply(1)).isEqualTo(2);
    assertThat(f.apply(1)).isEqualTo(2);
  }

  @Test
  void aPlainCacheReportsItsNameSizeBoundAndDescription() {
    Cache<String, Integer> c = Cachet.create().function("users").maximumSize(50).cache();
    assertThat(c.name()).isEqualTo("users");
    c.put("ann", 1);
    c.put("bob", 2);
    assertThat(c.estimatedSize()).isEqualTo(2);
    assertThat(c.cacheInfo()).isEqualTo(new CacheInfo(0, 0, 50, 2));
    assertThat(c.toString()).contains("users").contains("maximumSize=50").contains("size=2");

    assertThat(c.invalidate("carl")).as("nothing to drop").isFalse();
    assertThat(c.invalidate("ann")).isTrue();
    assertThat(c.estimatedSize()).isEqualTo(1);
  }

  @Test
  void cleanUpReclaimsExpiredEntriesAtOnce() {
    FakeTicker ticker = new FakeTicker();
    List<CacheEvent> events = Collections.synchronizedList(new ArrayList<>());
    // LRU: its maintenance runs only on the calling threads (ADAPTIVE may also run it on the
    // common pool at any time), so nothing but cleanUp reclaims the expired entries here.
    Cachet cachet = Cachet.builder().ticker(ticker).policy(EvictionPolicy.LRU)
        .expireAfterWrite(Duration.ofSeconds(10)).listener(events::add).build();
    Cache<String, Integer> c = cachet.cache("plain");
    MemoizedFunction<Integer, Integer> f = cachet.memoize("memoized", (Integer x) -> x);
    c.put("a", 1);
    c.put("b", 2);
    f.apply(1);
    f.apply(2);
    assertThat(f.name()).isEqualTo("memoized");

    ticker.advance(Duration.ofSeconds(11));
    c.cleanUp();
    f.cleanUp();

    assertThat(c.estimatedSize()).isZero();
    assertThat(f.cacheInfo().currSize()).isZero();
    assertThat(events).filteredOn(e -> e.cause() == RemovalCause.EXPIRED)
        .extracting(CacheEvent::cacheName)
        .containsExactlyInAnyOrder("plain", "plain", "memoized", "memoized");
  }

  @Test
  void aNullPutIntoACacheThatDoesNotKeepNullsDropsTheOldValue() {
    Cache<String, Integer> c = Cachet.create().function("no-nulls").cacheNulls(false).cache();
    c.put("k", 1);
    c.put("k", null);
    assertThat(c.estimatedSize()).isZero();
    assertThat(c.getIfPresent("k")).isNull();
    assertThat(c.get("k", k -> 2)).as("the loader runs: nothing is cached for k").isEqualTo(2);
  }

  @Test
  void aNullPutIntoACacheThatKeepsNullsIsServedAsAHit() {
    Cache<String, Integer> c = Cachet.create().cache("nulls");
    c.put("k", 1);
    c.put("k", null);
    assertThat(c.estimatedSize()).isEqualTo(1);
    assertThat(c.get("k", k -> 2)).as("the cached null, not the loader's value").isNull();
    assertThat(c.stats().hits()).isEqualTo(1);
  }

  @Test
  void getIfPresentOnACachedFailureAnswersNullAndGetRethrowsIt() {
    AtomicInteger loads = new AtomicInteger();
    Cache<String, Integer> c = Cachet.create().function("failures")
        .cacheExceptions(Duration.ofMinutes(1)).cache();
    assertThatThrownBy(() -> c.get("k", k -> {
      loads.incrementAndGet();
      throw new IllegalStateException("backend down");
    })).hasMessage("backend down");

    assertThat(c.getIfPresent("k")).isNull();
    assertThatThrownBy(() -> c.get("k", k -> loads.incrementAndGet()))
        .hasMessage("backend down");
    assertThat(loads).hasValue(1);
  }

  @Test
  void getIfPresentOnAMissingKeyCountsAndReportsAMiss() {
    List<CacheEvent> events = Collections.synchronizedList(new ArrayList<>());
    Cache<String, Integer> c = Cachet.builder().listener(events::add).build().cache("c");
    assertThat(c.getIfPresent("k")).isNull();
    assertThat(c.stats().misses()).isEqualTo(1);
    assertThat(events).extracting(CacheEvent::type).containsExactly(CacheEvent.Type.MISS);
  }

  @Test
  void aPutDuringALoadWinsOverTheLoadedValue() throws Exception {
    Cache<String, String> c = Cachet.create().cache("c");
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch putDone = new CountDownLatch(1);
    ExecutorService loader = Executors.newSingleThreadExecutor();
    try {
      Future<String> loaded = loader.submit(() -> c.get("k", k -> {
        loading.countDown();
        await(putDone);
        return "computed from older data";
      }));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
      c.put("k", "explicit");
      putDone.countDown();

      assertThat(loaded.get(10, TimeUnit.SECONDS)).isEqualTo("computed from older data");
      assertThat(c.getIfPresent("k")).as("the newer, explicit value stays").isEqualTo("explicit");
    } finally {
      loader.shutdownNow();
    }
  }

  @Test
  void staleWhileRevalidateOnAPlainCacheRefreshesWithTheCallersLoader() {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger version = new AtomicInteger();
    Cache<String, String> c = Cachet.builder().ticker(ticker).build().function("prices")
        .expireAfterWrite(Duration.ofSeconds(10)).staleWhileRevalidate(Duration.ofMinutes(1))
        .cache();
    assertThat(c.get("tea", k -> k + version.incrementAndGet())).isEqualTo("tea1");
    ticker.advance(Duration.ofSeconds(11));

    assertThat(c.get("tea", k -> k + version.incrementAndGet())).as("stale, served at once")
        .isEqualTo("tea1");
    assertThat(java.util.concurrent.ForkJoinPool.commonPool()
        .awaitQuiescence(10, TimeUnit.SECONDS)).isTrue();
    assertThat(c.get("tea", k -> k + version.incrementAndGet())).as("refreshed in background")
        .isEqualTo("tea2");
    assertThat(version).hasValue(2);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test latch not released in 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
