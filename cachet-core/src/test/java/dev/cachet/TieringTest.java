package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.stats.CacheEvent;
import dev.cachet.tier.HeapServer;
import dev.cachet.tier.Invalidation;
import dev.cachet.tier.MapStore;
import dev.cachet.tier.StoreTier;
import dev.cachet.tier.TierConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tiers below memory as the core drives them: each tier's own lifetime, hits by tier, and the
 * coherence of two "processes" sharing a server (an in-process stand-in for Redis, whose module
 * repeats these scenarios against a real one).
 */
class TieringTest {
  private final HeapServer server = new HeapServer();
  private final List<Cachet> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(Cachet::close);
  }

  private Cachet process(MapStore local, HeapServer.Client shared) {
    Cachet.Builder b = Cachet.builder();
    if (local != null) {
      b = b.store(local);
    }
    Cachet c = b.store(shared).build();
    opened.add(c);
    return c;
  }

  private static MemoizedFunction<Integer, Integer> squares(Cachet cachet, AtomicInteger calls) {
    return cachet.function("squares").version("1").tags("maths")
        .memoize((Integer x) -> {
          calls.incrementAndGet();
          return x * x;
        });
  }

  @Test
  void eachTierKeepsEntriesForItsOwnLifetime() {
    MapStore disk = new MapStore();
    MapStore other = new MapStore();
    Cachet cachet = Cachet.builder()
        .expireAfterWrite(Duration.ofMinutes(1))
        .tier(StoreTier.of(disk).expireAfterWrite(Duration.ofDays(7)))
        .store(other)
        .build();
    opened.add(cachet);
    long before = System.currentTimeMillis();
    cachet.function("f").version("1").memoize((Integer x) -> x + 1).apply(1);

    long diskExpiry = disk.entries.values().iterator().next().expiresAt();
    long otherExpiry = other.entries.values().iterator().next().expiresAt();
    assertThat(diskExpiry - before).isBetween(Duration.ofDays(7).toMillis() - 5_000,
        Duration.ofDays(7).toMillis() + 5_000);
    assertThat(otherExpiry - before).as("a tier without its own lifetime follows memory's")
        .isBetween(55_000L, 65_000L);
  }

  @Test
  void aSharedTierGoesBelowTheLocalOnesWhateverTheOrderTheyWereAddedIn() {
    MapStore local = new MapStore();
    HeapServer.Client shared = server.connect();
    Cachet cachet = Cachet.builder().store(shared).tier(StoreTier.of(local)).build();
    opened.add(cachet);

    assertThat(cachet.tiers()).containsExactly(local, shared);
  }

  @Test
  void aShortcutWhoseModuleIsMissingSaysWhichDependencyToAdd() {
    // The core's tests run without cachet-disk and cachet-redis.
    assertThatThrownBy(() -> Cachet.builder().disk(java.nio.file.Path.of("unused")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("disk(unused)").hasMessageContaining("dev.cachet:cachet-disk");
    assertThatThrownBy(() -> Cachet.builder().redis("redis://127.0.0.1:6379"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dev.cachet:cachet-redis");
  }

  /** A tier type whose module forgot to provide a StoreProvider. */
  private static final class UnprovidedTier extends TierConfig {
    UnprovidedTier() {
      super(null);
    }

    @Override
    public TierConfig expireAfterWrite(Duration duration) {
      return this;
    }

    @Override
    public boolean shared() {
      return false;
    }

    @Override
    public String describe() {
      return "unprovided:somewhere";
    }
  }

  @Test
  void aTierWithoutAProviderFailsTheBuildNamingItsTypeAndClosesTheTiersOpenedBefore() {
    MapStore first = new MapStore();
    Cachet.Builder builder = Cachet.builder().store(first).tier(new UnprovidedTier());

    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(UnprovidedTier.class.getName())
        .hasMessageContaining("unprovided:somewhere").hasMessageContaining("StoreProvider");
    assertThat(first.closed).as("the tier opened before is closed").isTrue();
  }

  @Test
  void statisticsSplitHitsByTier() {
    MapStore disk = new MapStore();
    AtomicInteger calls = new AtomicInteger();
    Cachet first = Cachet.builder().store(disk).build();
    opened.add(first);
    squares(first, calls).apply(3);

    Cachet second = Cachet.builder().store(disk).build();
    opened.add(second);
    MemoizedFunction<Integer, Integer> f = squares(second, calls);
    assertThat(f.apply(3)).isEqualTo(9);
    assertThat(f.apply(3)).isEqualTo(9);

    assertThat(calls).hasValue(1);
    assertThat(f.stats().hits()).isEqualTo(2);
    assertThat(f.stats().hitsByTier()).containsExactly(
        java.util.Map.entry("memory", 1L), java.util.Map.entry("map", 1L));
    assertThat(second.stats().get("squares").hitsByTier()).containsEntry("map", 1L);
  }

  @Test
  void anInvalidationInOneProcessDropsTheEntryFromTheOthersLocalTiers() {
    MapStore diskA = new MapStore();
    MapStore diskB = new MapStore();
    AtomicInteger calls = new AtomicInteger();
    Cachet a = process(diskA, server.connect());
    Cachet b = process(diskB, server.connect());
    MemoizedFunction<Integer, Integer> fa = squares(a, calls);
    MemoizedFunction<Integer, Integer> fb = squares(b, calls);

    fa.apply(4);
    assertThat(fb.apply(4)).isEqualTo(16);
    assertThat(calls).as("B read A's result from the shared tier").hasValue(1);
    assertThat(diskB.cached()).as("and promoted it into its local tier").hasSize(1);

    fa.invalidate(4);

    assertThat(diskB.cached()).as("B's local tier dropped it").isEmpty();
    assertThat(fb.apply(4)).isEqualTo(16);
    assertThat(calls).as("B recomputed instead of serving what A invalidated").hasValue(2);
    assertThat(b.recentInvalidations(10)).first()
        .satisfies(inv -> {
          assertThat(inv.scope()).isEqualTo(Invalidation.Scope.KEY);
          assertThat(inv.reason()).isEqualTo("invalidate");
          assertThat(inv.origin()).isNotBlank();
        });
  }

  @Test
  void clearingANamespaceOrATagReachesTheOtherProcess() {
    AtomicInteger calls = new AtomicInteger();
    MapStore diskB = new MapStore();
    Cachet a = process(null, server.connect());
    Cachet b = process(diskB, server.connect());
    MemoizedFunction<Integer, Integer> fa = squares(a, calls);
    MemoizedFunction<Integer, Integer> fb = squares(b, calls);
    fa.apply(1);
    fa.apply(2);
    fb.apply(1);
    fb.apply(2);
    assertThat(calls).hasValue(2);

    fa.cacheClear();
    assertThat(fb.cacheInfo().currSize()).isZero();
    assertThat(diskB.cached()).isEmpty();
    fb.apply(1);
    assertThat(calls).hasValue(3);

    assertThat(a.invalidateTag("maths", "prices changed")).isEqualTo(1);
    assertThat(fb.cacheInfo().currSize()).isZero();
    assertThat(diskB.cached()).isEmpty();
    assertThat(b.recentInvalidations(1).get(0).reason()).isEqualTo("prices changed");
  }

  @Test
  void aGapInTheInvalidationLogFlushesLocalTiers() {
    AtomicInteger calls = new AtomicInteger();
    MapStore diskB = new MapStore();
    Cachet b = process(diskB, server.connect());
    MemoizedFunction<Integer, Integer> fb = squares(b, calls);
    fb.apply(5);
    assertThat(diskB.cached()).hasSize(1);

    server.announceGap();

    assertThat(fb.cacheInfo().currSize()).isZero();
    assertThat(diskB.cached()).isEmpty();
  }

  @Test
  void fleetSingleFlightComputesOnceAcrossProcesses() throws Exception {
    int processes = 4;
    int threadsEach = 4;
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    List<MemoizedFunction<Integer, Integer>> functions = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      Cachet c = process(null, server.connect());
      functions.add(c.function("slow").version("1").fleetSingleFlight(Duration.ofSeconds(30))
          .memoize((Integer x) -> {
            calls.incrementAndGet();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return x * 10;
          }));
    }
    ExecutorService pool = Executors.newFixedThreadPool(processes * threadsEach);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (MemoizedFunction<Integer, Integer> f : functions) {
        for (int t = 0; t < threadsEach; t++) {
          results.add(pool.submit(() -> f.apply(7)));
        }
      }
      // Let every other process reach its wait for the leader before the one computation
      // finishes (callers in the same process join its flight, which cannot be observed).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((calls.get() == 0 || server.waiting.get() < processes - 1)
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(server.waiting).as("processes waiting for the leader").hasValue(processes - 1);
      release.countDown();
      for (Future<Integer> r : results) {
        assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo(70);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(calls).hasValue(1);
    assertThat(server.leads).hasValue(1);
  }

  @Test
  void fleetSingleFlightWithoutASharedTierIsRefusedWithTheFix() {
    Cachet cachet = Cachet.create();
    opened.add(cachet);
    assertThatThrownBy(() -> cachet.function("f").version("1")
        .fleetSingleFlight(Duration.ofSeconds(1)).memoize((Integer x) -> x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fleetSingleFlight needs a shared tier")
        .hasMessageEndingWith("add one with Cachet.builder().redis(uri)");
  }

  @Test
  void staleWhileRevalidateServesTheOldValueAndRefreshesOnce() throws Exception {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger version = new AtomicInteger();
    CountDownLatch refreshStarted = new CountDownLatch(1);
    CountDownLatch finishRefresh = new CountDownLatch(1);
    Cachet cachet = Cachet.builder().ticker(ticker).build();
    opened.add(cachet);
    MemoizedFunction<String, Integer> f = cachet.function("price")
        .expireAfterWrite(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofSeconds(60))
        .memoize((String k) -> {
          int v = version.incrementAndGet();
          if (v > 1) {
            refreshStarted.countDown();
            try {
              finishRefresh.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return v;
        });
    assertThat(f.apply("a")).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(11));

    assertThat(f.apply("a")).as("stale value served at once").isEqualTo(1);
    assertThat(refreshStarted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(f.apply("a")).as("still stale while the refresh runs").isEqualTo(1);
    finishRefresh.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (f.apply("a") != 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(f.apply("a")).isEqualTo(2);
    assertThat(version).as("one refresh for all the stale hits").hasValue(2);
  }

  @Test
  void staleEntriesAreNotServedPastTheWindow() {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger version = new AtomicInteger();
    Cachet cachet = Cachet.builder().ticker(ticker).build();
    opened.add(cachet);
    MemoizedFunction<String, Integer> f = cachet.function("price")
        .expireAfterWrite(Duration.ofSeconds(10))
        .staleWhileRevalidate(Duration.ofSeconds(5))
        .memoize((String k) -> version.incrementAndGet());
    f.apply("a");
    ticker.advance(Duration.ofSeconds(16));
    assertThat(f.apply("a")).isEqualTo(2);
  }

  @Test
  void earlyRefreshRecomputesASlowEntryShortlyBeforeItExpires() throws Exception {
    FakeTicker ticker = new FakeTicker();
    ConcurrentHashMap<String, AtomicInteger> loads = new ConcurrentHashMap<>();
    Cachet cachet = Cachet.builder().ticker(ticker).build();
    opened.add(cachet);
    MemoizedFunction<String, Integer> f = cachet.function("report")
        // Far from expiry the draw would need -ln(U) >= 99, beyond what a double U can give:
        // no early refresh is certain, not just likely.
        .expireAfterWrite(Duration.ofSeconds(1000))
        .earlyRefresh()
        .memoize((String k) -> {
          // A computation that takes 10 s of (fake) time.
          ticker.advance(Duration.ofSeconds(10));
          return loads.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
        });
    f.apply("fresh");
    f.apply("old");
    for (int i = 0; i < 50; i++) {
      f.apply("fresh");
    }
    assertThat(loads.get("fresh")).as("far from expiry: no early refresh").hasValue(1);

    // "old" is now 5 s (half a computation) from expiry: each hit refreshes with p ~ 0.39.
    ticker.advance(Duration.ofSeconds(995));
    for (int i = 0; i < 30 && loads.get("old").get() == 1; i++) {
      f.apply("old");
      Thread.sleep(5);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (loads.get("old").get() == 1 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(loads.get("old").get()).as("refreshed before it expired").isGreaterThan(1);
  }

  @Test
  void refreshOptionsNeedALifetime() {
    Cachet cachet = Cachet.create();
    opened.add(cachet);
    assertThatThrownBy(() -> cachet.function("f").staleWhileRevalidate(Duration.ofSeconds(1))
        .memoize((Integer x) -> x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs expireAfterWrite");
  }

  record Order(String id, List<String> items) {
  }

  @Test
  void aPlainCacheGivenItsValueTypeKeepsValuesBelowMemoryAndSharesPuts() {
    MapStore diskB = new MapStore();
    Cachet a = process(null, server.connect());
    Cachet b = process(diskB, server.connect());
    Cache<String, Order> ordersA = a.function("orders").cache(Order.class);
    Cache<String, Order> ordersB = b.function("orders").cache(Order.class);

    ordersA.put("o1", new Order("o1", List.of("tea")));
    assertThat(ordersB.getIfPresent("o1")).isEqualTo(new Order("o1", List.of("tea")));
    assertThat(diskB.cached()).hasSize(1);

    ordersA.put("o1", new Order("o1", List.of("tea", "milk")));
    assertThat(diskB.cached()).as("B's local copy is older: dropped").isEmpty();
    assertThat(ordersB.getIfPresent("o1").items()).containsExactly("tea", "milk");
    assertThat(ordersB.get("o2", k -> new Order(k, List.of()))).isEqualTo(new Order("o2", List.of()));
    assertThat(ordersA.getIfPresent("o2")).isEqualTo(new Order("o2", List.of()));
  }

  @Test
  void aLambdaWithAGenericResultIsStoredBelowMemoryOnceItsTypeIsDeclared() {
    MapStore disk = new MapStore();
    Cachet first = Cachet.builder().store(disk).build();
    Cachet second = Cachet.builder().store(disk).build();
    opened.add(first);
    opened.add(second);
    java.lang.reflect.Type listOfOrders =
        new com.fasterxml.jackson.core.type.TypeReference<List<Order>>() { }.getType();
    AtomicInteger calls = new AtomicInteger();
    for (Cachet c : List.of(first, second)) {
      MemoizedFunction<String, List<Order>> orders = c.function("orders").version("1")
          .resultType(listOfOrders)
          .memoize((String customer) -> {
            calls.incrementAndGet();
            return List.of(new Order(customer + "-1", List.of("tea")));
          });
      assertThat(orders.apply("ann")).containsExactly(new Order("ann-1", List.of("tea")));
    }
    assertThat(calls).as("the second Cachet decoded List<Order> from the store").hasValue(1);
  }

  @Test
  void namesThatWouldMakeUnreadableStoredKeysAreRefused() {
    Cachet cachet = Cachet.create();
    opened.add(cachet);
    assertThatThrownBy(() -> cachet.memoize("x".repeat(201), (Integer x) -> x))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit is 200");
    assertThatThrownBy(() -> cachet.memoize("bad\nname", (Integer x) -> x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad?name").hasMessageContaining("control characters");
  }

  interface Prices {
    @Memoize(ttl = "10s", staleWhileRevalidate = "1m", tags = "prices")
    int price(String item);
  }

  @Test
  void annotationsCarryTagsAndStaleWhileRevalidate() {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger calls = new AtomicInteger();
    Cachet cachet = Cachet.builder().ticker(ticker).build();
    opened.add(cachet);
    Prices prices = cachet.proxy(Prices.class, item -> calls.incrementAndGet());
    assertThat(prices.price("tea")).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(30));
    assertThat(prices.price("tea")).as("stale, served while refreshing").isEqualTo(1);
    assertThat(cachet.invalidateTag("prices")).isEqualTo(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int seen = prices.price("tea");
    while (seen == 1 && System.nanoTime() < deadline) {
      seen = prices.price("tea");
    }
    assertThat(seen).isGreaterThan(1);
  }

  public interface Rates {
    @Memoize
    int rate(String currency);
  }

  static final class RatesImpl implements Rates {
    final AtomicInteger calls;

    RatesImpl(AtomicInteger calls) {
      this.calls = calls;
    }

    @Override
    public int rate(String currency) {
      calls.incrementAndGet();
      return currency.length();
    }
  }

  @Test
  void aProxiedMethodsResultsAreKeptBelowMemoryForTheNextProcess() {
    MapStore disk = new MapStore();
    AtomicInteger calls = new AtomicInteger();
    for (int process = 0; process < 2; process++) {
      Cachet c = Cachet.builder().store(disk).build();
      opened.add(c);
      Rates rates = c.proxy(Rates.class, new RatesImpl(calls));
      assertThat(rates.rate("EUR")).isEqualTo(3);
    }
    assertThat(calls).as("the second process read the first one's result").hasValue(1);
    assertThat(disk.cached()).hasSize(1);
  }

  record Tag(String name) {
  }

  @Test
  void recordResultsOfLambdasAndConstructorReferencesComeBackAsRecordsInTheNextProcess() {
    MapStore disk = new MapStore();
    AtomicInteger calls = new AtomicInteger();
    for (int process = 0; process < 2; process++) {
      Cachet c = Cachet.builder().store(disk).build();
      opened.add(c);
      MemoizedFunction<String, Order> orders = c.function("order").version("1")
          .memoize((String id) -> {
            calls.incrementAndGet();
            return new Order(id, List.of("tea"));
          });
      MemoizedFunction<String, Tag> tags = c.function("tag").version("1").memoize(Tag::new);
      assertThat(orders.apply("o1")).isEqualTo(new Order("o1", List.of("tea")));
      assertThat(tags.apply("red")).isEqualTo(new Tag("red"));
      if (process == 1) {
        assertThat(orders.stats().hitsByTier()).containsEntry("map", 1L);
        assertThat(tags.stats().hitsByTier()).as("read from the store, not recomputed")
            .containsEntry("map", 1L);
      }
    }
    assertThat(calls).hasValue(1);
  }

  @Test
  void aFunctionWithoutACodeFingerprintIsKeptBelowMemoryOnlyUnderAVersion() {
    MapStore disk = new MapStore();
    Cachet cachet = Cachet.builder().store(disk).build();
    opened.add(cachet);
    java.util.function.Function<Integer, Integer> plain = x -> x + 1;
    assertThatThrownBy(() -> cachet.memoize("inc", plain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot keep results of 'inc' below memory");

    MemoizedFunction<Integer, Integer> versioned = cachet.function("inc").version("1")
        .memoize(plain);
    assertThat(versioned.apply(1)).isEqualTo(2);
    assertThat(disk.cached().keySet()).singleElement().asString().startsWith("inc:1:-:");
  }

  private static MemoizedFunction<Integer, Integer> scaled(Cachet c, int factor,
      AtomicInteger calls) {
    // Two lambdas, two code fingerprints, one name and version.
    return factor == 2
        ? c.function("scale").version("1").memoize((Integer x) -> {
          calls.incrementAndGet();
          return x * 2;
        })
        : c.function("scale").version("1").memoize((Integer x) -> {
          calls.incrementAndGet();
          return x * 3;
        });
  }

  @Test
  void editedCodeNeverReadsTheOldCodesResultsEvenUnderTheSameVersion() {
    MapStore disk = new MapStore();
    AtomicInteger calls = new AtomicInteger();
    Cachet before = Cachet.builder().store(disk).build();
    opened.add(before);
    assertThat(scaled(before, 2, calls).apply(5)).isEqualTo(10);

    Cachet after = Cachet.builder().store(disk).build();
    opened.add(after);
    assertThat(scaled(after, 3, calls).apply(5)).isEqualTo(15);
    assertThat(calls).hasValue(2);
  }

  @Test
  void entriesBelowMemoryLiveUnderNameVersionCodeAndResultType() {
    MapStore disk = new MapStore();
    Cachet cachet = Cachet.builder().store(disk).build();
    opened.add(cachet);
    cachet.memoize("plain", (Integer x) -> x).apply(1);
    cachet.function("versioned").version("v2").typed(true).memoize((Integer x) -> x).apply(1);

    assertThat(disk.cached().keySet()).map(k -> k.substring(0, k.indexOf('/'))).satisfiesExactly(
        ns -> assertThat(ns).matches("plain:-:[0-9a-f]{16}:[0-9a-f]{16}"),
        ns -> assertThat(ns).matches("versioned:v2:[0-9a-f]{16}:[0-9a-f]{16}:typed"));
  }

  private static MemoizedFunction<Number, String> kind(Cachet c, boolean typed) {
    return c.function("kind").version("1").typed(typed)
        .memoize((Number n) -> n.getClass().getSimpleName());
  }

  @Test
  void typedAndUntypedCachesOfOneFunctionDoNotShareEntriesBelowMemory() {
    MapStore disk = new MapStore();
    Cachet untyped = Cachet.builder().store(disk).build();
    Cachet typed = Cachet.builder().store(disk).build();
    opened.add(untyped);
    opened.add(typed);
    assertThat(kind(untyped, false).apply(1)).isEqualTo("Integer");
    // Untyped f(1) and typed f(1L) share a digest (docs/KEY-FORMAT.md): only the namespace
    // keeps the typed cache from answering "Integer" for a Long.
    assertThat(kind(typed, true).apply(1L)).isEqualTo("Long");
  }

  @Test
  void fleetSingleFlightOverTiersThatCannotCoordinateNamesThem() {
    Cachet cachet = Cachet.builder().store(new MapStore()).build();
    opened.add(cachet);
    assertThatThrownBy(() -> cachet.function("f").fleetSingleFlight(Duration.ofSeconds(1))
        .memoize((Integer x) -> x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fleetSingleFlight needs a shared tier")
        .hasMessageContaining("(the configured tiers [").hasMessageContaining("do not offer it)");
  }

  @Test
  void theTierEngineForIntegrationsUsesTheCachetsClockAndLifetime() {
    java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2026-01-01T00:00:00Z"),
        java.time.ZoneOffset.UTC);
    Cachet timed = Cachet.builder().clock(clock).expireAfterWrite(Duration.ofMinutes(1))
        .store(new MapStore()).build();
    Cachet forever = Cachet.builder().store(new MapStore()).build();
    opened.add(timed);
    opened.add(forever);

    assertThat(timed.tierEngine().clock()).isSameAs(clock);
    assertThat(timed.tierEngine().lifetimeMillis(0)).isEqualTo(60_000);
    assertThat(forever.tierEngine().lifetimeMillis(0)).as("no expireAfterWrite: no limit")
        .isZero();
  }

  public interface BlankName {
    @Memoize(name = " ")
    int get(String k);
  }

  @Test
  void aProxiedMethodWithABlankNameIsRefusedForItsNameEvenWithTiers() {
    Cachet cachet = Cachet.builder().store(new MapStore()).build();
    opened.add(cachet);
    assertThatThrownBy(() -> cachet.proxy(BlankName.class, k -> 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a cache needs a name");
  }

  @Test
  void aRestartedProcessDropsWhatWasInvalidatedWhileItWasDown() {
    MapStore diskB = new MapStore();
    AtomicInteger calls = new AtomicInteger();
    Cachet a = process(null, server.connect());
    Cachet b = process(diskB, server.connect());
    MemoizedFunction<Integer, Integer> fa = squares(a, calls);
    squares(b, calls).apply(6);
    squares(b, calls).apply(7);
    b.close();

    fa.invalidate(6);                          // while B is down

    Cachet restarted = process(diskB, server.connect());
    MemoizedFunction<Integer, Integer> fb = squares(restarted, calls);
    int before = calls.get();
    assertThat(fb.apply(7)).isEqualTo(49);
    assertThat(calls.get()).as("7 was not invalidated: still a local hit").isEqualTo(before);
    assertThat(fb.apply(6)).isEqualTo(36);
    assertThat(calls.get()).as("6 was invalidated while B was down: recomputed")
        .isEqualTo(before + 1);
  }

  @Test
  void aLocalStoreWithoutASavedLogPositionIsFlushedWhenASharedTierIsAdded() {
    MapStore disk = new MapStore();
    AtomicInteger calls = new AtomicInteger();
    Cachet alone = Cachet.builder().store(disk).build();
    squares(alone, calls).apply(3);
    alone.close();
    assertThat(disk.cached()).isNotEmpty();

    process(disk, server.connect());

    assertThat(disk.cached()).isEmpty();
  }

  @Test
  void aRemoteInvalidationDropsWhatThisProcessComputedOrPutItselfFromItsMemory() {
    AtomicInteger calls = new AtomicInteger();
    Cachet a = process(null, server.connect());
    Cachet b = process(null, server.connect());
    MemoizedFunction<Integer, Integer> fa = squares(a, calls);
    MemoizedFunction<Integer, Integer> fb = squares(b, calls);
    fa.apply(5);                       // computed in A, not read from a tier
    fb.invalidate(5);
    assertThat(fa.cacheInfo().currSize()).as("A dropped the key B invalidated").isZero();
    assertThat(fa.apply(5)).isEqualTo(25);
    assertThat(calls).hasValue(2);

    Cache<String, Order> ordersA = a.function("orders").cache(Order.class);
    Cache<String, Order> ordersB = b.function("orders").cache(Order.class);
    ordersA.put("o1", new Order("o1", List.of("tea")));
    ordersB.invalidate("o1");
    assertThat(ordersA.estimatedSize()).as("A dropped the value it had put").isZero();
    assertThat(ordersA.getIfPresent("o1")).isNull();
  }

  @Test
  void aCachedNullIsReadFromTheSharedTierAndThenServedFromMemory() {
    AtomicInteger calls = new AtomicInteger();
    Cachet a = process(null, server.connect());
    Cachet b = process(null, server.connect());
    List<MemoizedFunction<String, String>> lookups = new ArrayList<>();
    for (Cachet c : List.of(a, b)) {
      lookups.add(c.function("lookup").version("1").memoize((String k) -> {
        calls.incrementAndGet();
        return (String) null;
      }));
    }
    assertThat(lookups.get(0).apply("missing")).isNull();
    assertThat(lookups.get(1).apply("missing")).isNull();
    assertThat(lookups.get(1).apply("missing")).isNull();
    assertThat(calls).as("B read A's null from the shared tier").hasValue(1);
    assertThat(lookups.get(1).stats().hitsByTier()).containsEntry("memory", 1L);

    Cache<String, Order> ordersA = a.function("orders").cache(Order.class);
    Cache<String, Order> ordersB = b.function("orders").cache(Order.class);
    ordersA.put("none", null);
    assertThat(ordersB.getIfPresent("none")).isNull();
    assertThat(ordersB.estimatedSize()).as("the null was promoted into B's memory").isEqualTo(1);
    assertThat(ordersB.get("none", k -> new Order(k, List.of()))).isNull();
  }

  @Test
  void getIfPresentPromotesWhatItFindsBelowMemoryAndCountsAHit() {
    Cachet a = process(null, server.connect());
    Cachet b = process(null, server.connect());
    Cache<String, Order> ordersA = a.function("orders").cache(Order.class);
    Cache<String, Order> ordersB = b.function("orders").cache(Order.class);
    ordersA.put("o1", new Order("o1", List.of("tea")));

    assertThat(ordersB.getIfPresent("o1")).isEqualTo(new Order("o1", List.of("tea")));
    assertThat(ordersB.estimatedSize()).isEqualTo(1);
    assertThat(ordersB.stats().hits()).isEqualTo(1);
    assertThat(ordersB.getIfPresent("o1")).isEqualTo(new Order("o1", List.of("tea")));
    assertThat(ordersB.stats().hits()).isEqualTo(2);
    assertThat(ordersB.stats().hitsByTier()).containsEntry("memory", 1L);
  }

  @Test
  void aMissThatLooksBelowMemoryIsCountedAndReported() {
    List<CacheEvent> events = Collections.synchronizedList(new ArrayList<>());
    Cachet cachet = Cachet.builder().store(server.connect()).listener(events::add).build();
    opened.add(cachet);
    AtomicInteger calls = new AtomicInteger();
    MemoizedFunction<Integer, Integer> f = squares(cachet, calls);
    f.apply(3);
    assertThat(f.stats().misses()).isEqualTo(1);
    assertThat(f.cacheInfo().misses()).isEqualTo(1);
    assertThat(events).extracting(CacheEvent::type)
        .containsExactly(CacheEvent.Type.MISS, CacheEvent.Type.LOAD_SUCCESS);
  }

  @Test
  void aNullPutIntoACacheThatDoesNotKeepNullsRemovesTheOldValueFromEveryTier() {
    MapStore diskA = new MapStore();
    Cachet a = process(diskA, server.connect());
    Cachet b = process(null, server.connect());
    Cache<String, Order> ordersA = a.function("orders").cacheNulls(false).cache(Order.class);
    Cache<String, Order> ordersB = b.function("orders").cacheNulls(false).cache(Order.class);
    ordersA.put("o1", new Order("o1", List.of("tea")));
    assertThat(diskA.cached()).hasSize(1);

    ordersA.put("o1", null);

    assertThat(diskA.cached()).as("A's local tier dropped it").isEmpty();
    assertThat(ordersB.getIfPresent("o1")).as("and so did the shared one").isNull();
    assertThat(ordersA.get("o1", k -> new Order(k, List.of("milk"))).items())
        .containsExactly("milk");
  }

  @Test
  void anotherProcesssInvalidationDuringABackgroundRefreshKeepsTheRefreshedValueOut()
      throws Exception {
    FakeTicker ticker = new FakeTicker();
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch refreshing = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    List<MemoizedFunction<String, Integer>> fs = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      Cachet c = Cachet.builder().ticker(ticker).store(server.connect()).build();
      opened.add(c);
      fs.add(c.function("price").version("1").expireAfterWrite(Duration.ofSeconds(10))
          .staleWhileRevalidate(Duration.ofMinutes(1))
          .memoize((String k) -> {
            int n = calls.incrementAndGet();
            if (n == 2) {
              refreshing.countDown();
              try {
                finish.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return n;
          }));
    }
    MemoizedFunction<String, Integer> fa = fs.get(0);
    MemoizedFunction<String, Integer> fb = fs.get(1);
    assertThat(fa.apply("tea")).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(11));
    assertThat(fa.apply("tea")).as("stale: A starts a refresh").isEqualTo(1);
    assertThat(refreshing.await(10, TimeUnit.SECONDS)).isTrue();

    fb.invalidate("tea");
    finish.countDown();
    assertThat(java.util.concurrent.ForkJoinPool.commonPool()
        .awaitQuiescence(10, TimeUnit.SECONDS)).isTrue();

    assertThat(fa.cacheInfo().currSize()).as("A's refresh began before the invalidation")
        .isZero();
    assertThat(fb.apply("tea")).as("and was not written to the shared tier either").isEqualTo(3);
  }
}
