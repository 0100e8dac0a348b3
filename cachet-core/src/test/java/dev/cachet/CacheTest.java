package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.stats.CacheEvent;
import dev.cachet.stats.RemovalCause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
}
