package dev.cachet.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.EvictionPolicy;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.spi.CachingProvider;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cachet's own options through JCache: policy, bound, tiers, tags, copies, filter, MBeans. */
class CachetConfigurationTest {
  private final CachetCachingProvider provider = new CachetCachingProvider();
  private final ClassLoader loader = getClass().getClassLoader();

  @AfterEach
  void closeManagers() {
    provider.close();
  }

  private CacheManager manager(String name) {
    return provider.getCacheManager(URI.create("test-" + name), loader);
  }

  /** A value class that is mutable and Serializable, to see copies. */
  static final class Box implements Serializable {
    private static final long serialVersionUID = 1L;
    String content;

    Box(String content) {
      this.content = content;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Box b && b.content.equals(content);
    }

    @Override
    public int hashCode() {
      return content.hashCode();
    }
  }

  @Test
  void theProviderIsFoundThroughTheServiceLoader() {
    CachingProvider found = Caching.getCachingProvider();
    assertThat(found).isInstanceOf(CachetCachingProvider.class);
    assertThat(found.getCacheManager()).isInstanceOf(CachetCacheManager.class);
  }

  @Test
  void anLruBoundEvictsTheLeastRecentlyUsedEntryAndCountsIt() {
    CachetConfiguration<Integer, String> config = new CachetConfiguration<Integer, String>()
        .policy(EvictionPolicy.LRU).maximumSize(3);
    config.setTypes(Integer.class, String.class);
    config.setStatisticsEnabled(true);
    Cache<Integer, String> cache = manager("lru").createCache("lru", config);
    cache.put(1, "one");
    cache.put(2, "two");
    cache.put(3, "three");
    cache.get(1); // 2 is now the least recently used
    cache.put(4, "four");

    assertThat(cache.containsKey(2)).isFalse();
    assertThat(cache.get(1)).isEqualTo("one");
    assertThat(cache.get(3)).isEqualTo("three");
    assertThat(cache.get(4)).isEqualTo("four");
    CachetCache<?, ?> cachet = cache.unwrap(CachetCache.class);
    assertThat(cachet.size()).isEqualTo(3);
    assertThat(cachet.statistics().getCacheEvictions()).isEqualTo(1);
  }

  @Test
  void theConfigurationReportsCachetsOptionsAndIsACopy() {
    CachetConfiguration<String, String> config = new CachetConfiguration<String, String>()
        .policy(EvictionPolicy.FIFO).maximumSize(10).tags("a", "b");
    Cache<String, String> cache = manager("config").createCache("c", config);
    @SuppressWarnings("unchecked")
    CachetConfiguration<String, String> seen = cache.getConfiguration(CachetConfiguration.class);
    assertThat(seen.getPolicy()).isEqualTo(EvictionPolicy.FIFO);
    assertThat(seen.getMaximumSize()).isEqualTo(10);
    assertThat(seen.getTags()).containsExactly("a", "b");
    assertThat(seen).isEqualTo(config);
    seen.maximumSize(1);
    assertThat(cache.getConfiguration(CachetConfiguration.class).getMaximumSize()).isEqualTo(10);
    // A plain MutableConfiguration gives Cachet's defaults.
    Cache<String, String> plain = cache.getCacheManager().createCache("plain",
        new MutableConfiguration<String, String>());
    CachetConfiguration<?, ?> defaults = plain.getConfiguration(CachetConfiguration.class);
    assertThat(defaults.getPolicy()).isEqualTo(EvictionPolicy.ADAPTIVE);
    assertThat(defaults.getMaximumSize()).isEqualTo(CachetConfiguration.UNBOUNDED);
    assertThat(defaults.hasTiers()).isFalse();
  }

  @Test
  void storeByValueCopiesWhileStoreByReferenceKeepsTheCallersObject() {
    CacheManager manager = manager("copies");
    Cache<String, Box> byValue = manager.createCache("v", new MutableConfiguration<>());
    Box box = new Box("original");
    byValue.put("k", box);
    box.content = "changed after put";
    Box read = byValue.get("k");
    assertThat(read.content).isEqualTo("original");
    read.content = "changed after get";
    assertThat(byValue.get("k").content).isEqualTo("original");

    Cache<String, Box> byReference = manager.createCache("r",
        new MutableConfiguration<String, Box>().setStoreByValue(false));
    byReference.put("k", box);
    assertThat(byReference.get("k")).isSameAs(box);
  }

  @Test
  void aValueThatCannotBeCopiedIsRefusedWithTheWayOut() {
    Cache<String, Object> cache = manager("noncopy").createCache("n", new MutableConfiguration<>());
    Object notSerializable = new Object() {
      @Override
      public String toString() {
        return "not serializable";
      }
    };
    List<Object> list = new ArrayList<>(List.of(notSerializable));
    assertThatThrownBy(() -> cache.put("k", list))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not Serializable")
        .hasMessageContaining("setStoreByValue(false)");
  }

  @Test
  void theSerialFilterGuardsReadsAndSaysWhereToChangeIt() {
    CachetConfiguration<String, Object> config = new CachetConfiguration<String, Object>()
        .serialFilter("!" + Box.class.getName() + ";*");
    Cache<String, Object> cache = manager("filter").createCache("f", config);
    cache.put("k", new Box("x"));
    assertThatThrownBy(() -> cache.get("k"))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("setSerialFilter");
    cache.put("ok", new ArrayList<>(List.of("fine")));
    assertThat(cache.get("ok")).isEqualTo(List.of("fine"));
  }

  @Test
  void aDiskTierKeepsEntriesAcrossManagers(@TempDir Path dir) throws Exception {
    CachetConfiguration<String, Box> config = new CachetConfiguration<String, Box>()
        .disk(dir);
    config.setTypes(String.class, Box.class);

    CacheManager first = manager("disk-first");
    Cache<String, Box> cache = first.createCache("boxes", config);
    cache.put("a", new Box("apple"));
    cache.put("b", new Box("banana"));
    cache.remove("b");
    first.close();
    assertThat(cache.isClosed()).isTrue();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.count()).as("files of the disk tier in " + dir).isPositive();
    }

    // Another manager (and another provider: nothing shared in memory) reads them back.
    CachetCachingProvider other = new CachetCachingProvider();
    try {
      CacheManager second = other.getCacheManager(URI.create("test-disk-second"), loader);
      Cache<String, Box> again = second.createCache("boxes", config);
      assertThat(again.get("a")).isEqualTo(new Box("apple"));
      assertThat(again.get("b")).isNull();
      assertThat(again.containsKey("a")).isTrue();
    } finally {
      other.close();
    }
  }

  @Test
  void entriesEvictedFromMemoryAreReadBackFromDisk(@TempDir Path dir) {
    CachetConfiguration<Integer, String> config = new CachetConfiguration<Integer, String>()
        .policy(EvictionPolicy.LRU).maximumSize(2).disk(dir);
    config.setStatisticsEnabled(true);
    Cache<Integer, String> cache = manager("spill").createCache("spill", config);
    for (int i = 0; i < 10; i++) {
      cache.put(i, "v" + i);
    }
    CachetCache<?, ?> cachet = cache.unwrap(CachetCache.class);
    assertThat(cachet.size()).isEqualTo(2);
    for (int i = 0; i < 10; i++) {
      assertThat(cache.get(i)).isEqualTo("v" + i);
    }
    assertThat(cachet.statistics().getCacheHits()).isEqualTo(10);
    assertThat(cachet.statistics().getCacheEvictions()).isGreaterThanOrEqualTo(8);
  }

  @Test
  void expiredEntriesAreNotReadBackFromDisk(@TempDir Path dir) {
    // The disk store's own wall clock never sees these ten minutes pass: only the cache's clock
    // can tell that the entry is dead.
    MovableClock clock = new MovableClock(System.currentTimeMillis());
    CachetConfiguration<String, String> config = new CachetConfiguration<String, String>()
        .disk(dir).clock(clock);
    config.setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(
        new Duration(TimeUnit.MINUTES, 10)));
    CacheManager first = manager("expiry-first");
    first.createCache("short", config).put("k", "v");
    first.close();
    CacheManager second = manager("expiry-second");
    assertThat(second.createCache("short", config).get("k")).as("live on disk").isEqualTo("v");
    second.close();

    clock.advance(java.time.Duration.ofMinutes(11));
    Cache<String, String> again = manager("expiry-third").createCache("short", config);
    assertThat(again.get("k")).isNull();
  }

  @Test
  void destroyingACacheDropsItsDiskEntriesButClosingDoesNot(@TempDir Path dir) {
    CachetConfiguration<String, String> config = new CachetConfiguration<String, String>()
        .disk(dir);
    CacheManager manager = manager("destroy");
    manager.createCache("kept", config).put("k", "v");
    manager.getCache("kept").close();
    assertThat(manager.createCache("kept", config).get("k")).isEqualTo("v");

    manager.destroyCache("kept");
    assertThat(manager.createCache("kept", config).get("k")).isNull();
  }

  @Test
  void invalidateTagDropsTaggedEntriesFromMemoryAndDisk(@TempDir Path dir) {
    CachetCacheManager manager = manager("tags").unwrap(CachetCacheManager.class);
    Cache<String, String> tenant = manager.createCache("tenant",
        new CachetConfiguration<String, String>().disk(dir).tags("tenant-42"));
    Cache<String, String> other = manager.createCache("other",
        new CachetConfiguration<String, String>().disk(dir).tags("tenant-7"));
    tenant.put("k", "v");
    other.put("k", "w");

    assertThat(manager.invalidateTag("tenant-42")).isEqualTo(1);
    assertThat(tenant.get("k")).isNull();
    assertThat(other.get("k")).isEqualTo("w");
  }

  @Test
  void statisticsAndConfigurationMBeansAreRegisteredUnderTheStandardNames() throws Exception {
    MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
        .setStatisticsEnabled(true).setManagementEnabled(true);
    CacheManager manager = manager("mbeans");
    Cache<String, String> cache = manager.createCache("m", config);
    cache.put("k", "v");
    cache.get("k");
    cache.get("absent");
    var server = ManagementFactory.getPlatformMBeanServer();
    ObjectName stats = new ObjectName("javax.cache:type=CacheStatistics,CacheManager="
        + manager.getURI() + ",Cache=m");
    ObjectName conf = new ObjectName("javax.cache:type=CacheConfiguration,CacheManager="
        + manager.getURI() + ",Cache=m");
    assertThat(server.getAttribute(stats, "CacheHits")).isEqualTo(1L);
    assertThat(server.getAttribute(stats, "CacheMisses")).isEqualTo(1L);
    assertThat(server.getAttribute(stats, "CachePuts")).isEqualTo(1L);
    assertThat(server.getAttribute(conf, "StoreByValue")).isEqualTo(true);
    manager.enableStatistics("m", false);
    assertThat(server.isRegistered(stats)).isFalse();
    cache.close();
    assertThat(server.isRegistered(conf)).isFalse();
  }

  /** Counts expired events. */
  public static final class ExpiryCounter
      implements javax.cache.event.CacheEntryExpiredListener<Integer, Integer>, Serializable {
    private static final long serialVersionUID = 1L;
    static final java.util.concurrent.atomic.AtomicInteger EXPIRED =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      events.forEach(e -> EXPIRED.incrementAndGet());
    }
  }

  @Test
  void expiredEntriesThatNobodyTouchesAreReclaimedWithTheirEvents() throws Exception {
    ExpiryCounter.EXPIRED.set(0);
    MovableClock clock = new MovableClock(System.currentTimeMillis());
    CachetConfiguration<Integer, Integer> config = new CachetConfiguration<Integer, Integer>()
        .clock(clock);
    config.setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(
            new Duration(TimeUnit.MILLISECONDS, 50)))
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(ExpiryCounter.class), null, false, true));
    Cache<Integer, Integer> cache = manager("sweep").createCache("s", config);
    for (int i = 0; i < 1000; i++) {
      cache.put(i, i);
    }
    clock.advance(java.time.Duration.ofMillis(100));
    CachetCache<?, ?> cachet = cache.unwrap(CachetCache.class);
    assertThat(cachet.size()).isEqualTo(1000);
    // Enough writes of other keys to trigger the background sweep; the clock stands still
    // meanwhile, so key -1 never expires.
    for (int i = 0; i < CachetCache.SWEEP_EVERY; i++) {
      cache.put(-1, i);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (cachet.size() > 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(cachet.size()).isEqualTo(1);
    long deadline2 = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ExpiryCounter.EXPIRED.get() < 1000 && System.nanoTime() < deadline2) {
      Thread.onSpinWait();
    }
    assertThat(ExpiryCounter.EXPIRED.get()).isEqualTo(1000);
  }

  /** Collects created events; static state, since listeners are made by a factory. */
  public static final class Recorder implements CacheEntryCreatedListener<Integer, Integer>,
      Serializable {
    private static final long serialVersionUID = 1L;
    static final List<Integer> SEEN = Collections.synchronizedList(new ArrayList<>());
    static volatile CountDownLatch done;

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends Integer, ? extends Integer>> events) {
      for (CacheEntryEvent<? extends Integer, ? extends Integer> e : events) {
        SEEN.add(e.getKey());
        done.countDown();
      }
    }
  }

  @Test
  void anAsynchronousListenerSeesEveryEventInOrderOffTheCallersThread() throws Exception {
    Recorder.SEEN.clear();
    Recorder.done = new CountDownLatch(100);
    Cache<Integer, Integer> cache = manager("async").createCache("a",
        new MutableConfiguration<Integer, Integer>().addCacheEntryListenerConfiguration(
            new MutableCacheEntryListenerConfiguration<>(
                FactoryBuilder.factoryOf(Recorder.class), null, false, false)));
    for (int i = 0; i < 100; i++) {
      cache.put(i, i);
    }
    assertThat(Recorder.done.await(10, TimeUnit.SECONDS)).isTrue();
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add(i);
    }
    assertThat(Recorder.SEEN).containsExactlyElementsOf(expected);
  }

  /** A wall clock the test moves by hand, so expiry needs no waiting. */
  static final class MovableClock extends java.time.Clock {
    private final java.util.concurrent.atomic.AtomicLong millis;

    MovableClock(long startMillis) {
      this.millis = new java.util.concurrent.atomic.AtomicLong(startMillis);
    }

    void advance(java.time.Duration d) {
      millis.addAndGet(d.toMillis());
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public java.time.Instant instant() {
      return java.time.Instant.ofEpochMilli(millis.get());
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
