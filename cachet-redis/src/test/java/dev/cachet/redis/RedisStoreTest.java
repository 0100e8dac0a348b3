package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cachet;
import dev.cachet.MemoizedFunction;
import dev.cachet.codec.EntryFrame;
import dev.cachet.tier.Store;
import dev.cachet.tier.StoreProvider;
import dev.cachet.tier.StoreStats;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's contract on the shared redis-server at 127.0.0.1:6379, under a prefix of its own. */
class RedisStoreTest {
  private String uri;
  private String prefix;
  private RedisStore store;
  private RedisClient raw;
  private StatefulRedisConnection<String, String> rawConnection;
  private RedisCommands<String, String> redis;

  @BeforeEach
  void open() {
    uri = LocalRedis.uri();
    prefix = "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    store = RedisStore.open(RedisStoreOptions.builder(uri).prefix(prefix).build());
    raw = RedisClient.create(uri);
    rawConnection = raw.connect();
    redis = rawConnection.sync();
  }

  @AfterEach
  void close() {
    if (store != null) {
      try {
        store.clear();
      } catch (IllegalStateException closed) {
        // the test closed it
      }
      store.close();
    }
    for (String k : keys(prefix + ":*")) {
      redis.del(k);
    }
    rawConnection.close();
    raw.shutdown(Duration.ZERO, Duration.ofSeconds(1));
  }

  static byte[] frame(String value, long expiresAt, List<String> tags) {
    return new EntryFrame("utf8", "t", System.currentTimeMillis(), expiresAt, tags,
        value.getBytes(StandardCharsets.UTF_8)).encode();
  }

  static String text(byte[] frame) {
    return frame == null ? null
        : new String(EntryFrame.decode(frame).payload(), StandardCharsets.UTF_8);
  }

  static String digest() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong()) + "ab";
  }

  private List<String> keys(String pattern) {
    List<String> out = new ArrayList<>();
    ScanIterator.scan(redis, ScanArgs.Builder.matches(pattern).limit(1000))
        .forEachRemaining(out::add);
    return out;
  }

  @Test
  void lookingUpANamespaceNobodyWroteLeavesNothingInRedis() {
    assertThat(store.get("never-written", digest())).isNull();
    assertThat(store.getAll("never-written", List.of(digest(), digest()))).isEmpty();
    assertThat(store.digests("never-written", 10)).isEmpty();
    assertThat(keys(prefix + ":*")).as("no version key for a read-only lookup").isEmpty();

    String d = digest();
    store.put("written", d, frame("v", 0, List.of()), 0, List.of());
    assertThat(text(store.get("written", d))).isEqualTo("v");
    assertThat(store.digests("written", 10)).containsExactly(d);
  }

  @Test
  void putThenGetReturnsTheSameFrame() {
    String d = digest();
    byte[] f = frame("hello", 0, List.of());
    assertThat(store.get("ns", d)).isNull();
    store.put("ns", d, f, 0, List.of());
    assertThat(store.get("ns", d)).isEqualTo(f);
    StoreStats s = store.stats();
    assertThat(s.hits()).isEqualTo(1);
    assertThat(s.misses()).isEqualTo(1);
    assertThat(s.writes()).isEqualTo(1);
    assertThat(s.failures()).isZero();
    assertThat(s.entries()).isPositive();
    // The documented key scheme: PREFIX:NAMESPACE:VERSION:DIGEST, the version from the clock.
    List<String> entryKeys = keys(prefix + ":ns:*");
    assertThat(entryKeys).hasSize(1);
    String version = redis.get(prefix + ":nsver:{ns}");
    assertThat(Long.parseLong(version)).isGreaterThan(1_600_000_000_000L);
    assertThat(entryKeys.get(0)).isEqualTo(prefix + ":ns:" + version + ":" + d);
  }

  @Test
  void expiryUsesPx() throws InterruptedException {
    String d = digest();
    long expiresAt = System.currentTimeMillis() + 60_000;
    store.put("ns", d, frame("v", expiresAt, List.of()), expiresAt, List.of());
    String key = keys(prefix + ":ns:*").get(0);
    assertThat(redis.pttl(key)).isBetween(50_000L, 60_000L);

    String shortLived = digest();
    long soon = System.currentTimeMillis() + 150;
    store.put("ns", shortLived, frame("v", soon, List.of()), soon, List.of());
    assertThat(store.get("ns", shortLived)).isNotNull();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (store.get("ns", shortLived) != null) {
      assertThat(System.nanoTime()).as("expired by Redis within 5 s").isLessThan(deadline);
      Thread.onSpinWait();
    }

    // Already expired: not stored, and the old value is gone.
    store.put("ns", d, frame("v", 1, List.of()), 1, List.of());
    assertThat(store.get("ns", d)).isNull();
  }

  @Test
  void corruptEntryIsAMissRemovedAndCounted() {
    String d = digest();
    store.put("ns", d, frame("v", 0, List.of()), 0, List.of());
    String key = keys(prefix + ":ns:*").get(0);
    byte[] damaged = frame("v", 0, List.of());
    damaged[damaged.length - 6] ^= 1;
    raw.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE).sync()
        .set(key.getBytes(StandardCharsets.UTF_8), damaged);
    assertThat(store.get("ns", d)).isNull();
    assertThat(store.stats().corruptions()).isEqualTo(1);
    long deadline = System.currentTimeMillis() + 2000;
    while (redis.exists(key) > 0 && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(redis.exists(key)).isZero();
  }

  @Test
  void removeOneEntry() {
    String d = digest();
    store.put("ns", d, frame("v", 0, List.of()), 0, List.of());
    assertThat(store.remove("ns", d)).isTrue();
    assertThat(store.remove("ns", d)).isFalse();
    assertThat(store.get("ns", d)).isNull();
  }

  @Test
  void removeNamespaceBumpsTheVersionAndReclaimsOldKeys() {
    // A write that times out is dropped (a miss later, by design), and the count is what the
    // sweep reclaimed within sweepWait: on a loaded machine 2,500 pipelined SETs overran the
    // 500 ms command timeout, so this test gives both room before counting.
    store.close();
    store = RedisStore.open(RedisStoreOptions.builder(uri).prefix(prefix)
        .commandTimeout(Duration.ofSeconds(30)).sweepWait(Duration.ofSeconds(60)).build());
    List<String> ds = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      ds.add(digest());
    }
    Map<String, byte[]> batch = new LinkedHashMap<>();
    ds.forEach(d -> batch.put(d, frame("v", 0, List.of())));
    store.putAll("fn", batch, 0, List.of());
    // Namespaces whose names start alike, and glob characters, are untouched.
    String other = digest();
    store.put("fn:1", other, frame("other", 0, List.of()), 0, List.of());
    store.put("f*", other, frame("star", 0, List.of()), 0, List.of());
    long before = Long.parseLong(redis.get(prefix + ":nsver:{fn}"));

    assertThat(store.removeNamespace("fn")).isEqualTo(2500);

    assertThat(Long.parseLong(redis.get(prefix + ":nsver:{fn}"))).isEqualTo(before + 1);
    assertThat(store.get("fn", ds.get(0))).isNull();
    assertThat(keys(prefix + ":fn:*").stream().filter(k -> !k.startsWith(prefix + ":fn:1:")))
        .isEmpty();
    assertThat(text(store.get("fn:1", other))).isEqualTo("other");
    assertThat(text(store.get("f*", other))).isEqualTo("star");
    store.put("fn", ds.get(0), frame("new", 0, List.of()), 0, List.of());
    assertThat(text(store.get("fn", ds.get(0)))).isEqualTo("new");
  }

  @Test
  void anotherProcessSeesTheBumpWithinTheVersionCacheTtl() throws InterruptedException {
    try (RedisStore other = RedisStore.open(RedisStoreOptions.builder(uri).prefix(prefix)
        .versionCacheTtl(Duration.ofMillis(200)).build())) {
      String d = digest();
      store.put("ns", d, frame("v1", 0, List.of()), 0, List.of());
      assertThat(text(other.get("ns", d))).isEqualTo("v1");
      store.removeNamespace("ns");
      store.put("ns", d, frame("v2", 0, List.of()), 0, List.of());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!"v2".equals(text(other.get("ns", d)))) {
        assertThat(System.nanoTime()).as("the other store sees the bump once its cached"
            + " version expires").isLessThan(deadline);
        Thread.onSpinWait();
      }
      // The bus's hook: forget at once.
      store.removeNamespace("ns");
      store.put("ns", d, frame("v3", 0, List.of()), 0, List.of());
      other.forgetNamespaceVersion("ns");
      assertThat(text(other.get("ns", d))).isEqualTo("v3");
    }
  }

  @Test
  void removeTagUnlinksTaggedEntriesOnly() {
    List<String> tagged = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      String d = digest();
      tagged.add(d);
      store.put(i % 2 == 0 ? "a" : "b", d, frame("t", 0, List.of("tenant-42", "x")), 0,
          List.of("tenant-42", "x"));
    }
    String keep = digest();
    store.put("a", keep, frame("keep", 0, List.of("x")), 0, List.of("x"));

    assertThat(store.removeTag("tenant-42")).isEqualTo(1200);

    assertThat(store.get("a", tagged.get(0))).isNull();
    assertThat(store.get("b", tagged.get(1))).isNull();
    assertThat(text(store.get("a", keep))).isEqualTo("keep");
    assertThat(redis.exists(prefix + ":tag:{tenant-42}")).isZero();
    assertThat(keys(prefix + ":tag:{tenant-42}*")).isEmpty();
    assertThat(store.removeTag("tenant-42")).isZero();
    assertThat(store.removeTag("never-used")).isZero();
  }

  @Test
  void tagSetsLiveAsLongAsTheirLongestEntry() {
    long now = System.currentTimeMillis();
    store.put("a", digest(), frame("1", now + 10_000, List.of("t")), now + 10_000, List.of("t"));
    long first = redis.pttl(prefix + ":tag:{t}");
    assertThat(first).isBetween(8_000L, 10_000L);
    store.put("a", digest(), frame("2", now + 60_000, List.of("t")), now + 60_000, List.of("t"));
    assertThat(redis.pttl(prefix + ":tag:{t}")).isBetween(50_000L, 60_000L);
    store.put("a", digest(), frame("3", now + 5_000, List.of("t")), now + 5_000, List.of("t"));
    assertThat(redis.pttl(prefix + ":tag:{t}")).as("never shortened").isGreaterThan(50_000L);
    store.put("a", digest(), frame("4", 0, List.of("t")), 0, List.of("t"));
    assertThat(redis.pttl(prefix + ":tag:{t}")).as("a never-expiring member").isEqualTo(-1);
    store.put("a", digest(), frame("5", now + 5_000, List.of("t")), now + 5_000, List.of("t"));
    assertThat(redis.pttl(prefix + ":tag:{t}")).isEqualTo(-1);
  }

  @Test
  void tagScriptIsLoadedAgainAfterScriptFlush() {
    store.put("a", digest(), frame("1", 0, List.of("t")), 0, List.of("t"));
    redis.scriptFlush();
    String d = digest();
    store.put("a", d, frame("2", 0, List.of("t")), 0, List.of("t"));
    assertThat(store.stats().failures()).isZero();
    assertThat(store.removeTag("t")).isEqualTo(2);
  }

  @Test
  void clearRemovesOnlyThisPrefixAndLeavesLocksAndTheLog() {
    store.put("a", digest(), frame("1", 0, List.of("t")), 0, List.of("t"));
    store.put("b", digest(), frame("2", 0, List.of()), 0, List.of());
    redis.set(prefix + ":lock:{a}:00ff", "owner");
    redis.set(prefix + ":inv:log", "x");
    redis.set(prefix + "x:a:1:00ff", "another prefix");
    try {
      store.clear();
      assertThat(keys(prefix + ":*")).containsExactlyInAnyOrder(prefix + ":lock:{a}:00ff",
          prefix + ":inv:log");
      assertThat(redis.get(prefix + "x:a:1:00ff")).isEqualTo("another prefix");
      // Usable afterwards, with a fresh version.
      String d = digest();
      store.put("a", d, frame("again", 0, List.of()), 0, List.of());
      assertThat(text(store.get("a", d))).isEqualTo("again");
    } finally {
      redis.del(prefix + "x:a:1:00ff");
    }
  }

  @Test
  void digestsListTheCurrentVersionOnly() {
    Set<String> ds = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      String d = digest();
      ds.add(d);
      store.put("idx", d, frame("v", 0, List.of()), 0, List.of());
    }
    store.put("idx:other", digest(), frame("v", 0, List.of()), 0, List.of());
    assertThat(store.digests("idx", 100)).containsExactlyInAnyOrderElementsOf(ds);
    assertThat(store.digests("idx", 5)).hasSize(5).isSubsetOf(ds);
    assertThat(store.countEntries("idx")).isEqualTo(30);
    store.removeNamespace("idx");
    assertThat(store.digests("idx", 100)).isEmpty();
    assertThat(store.countEntries("idx")).isZero();
  }

  @Test
  void getAllAndPutAllArePipelined() {
    Map<String, byte[]> batch = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      batch.put(digest(), frame("v" + i, 0, List.of()));
    }
    store.putAll("bulk", batch, System.currentTimeMillis() + 60_000, List.of("bulk"));
    List<String> ask = new ArrayList<>(batch.keySet());
    String absent = digest();
    ask.add(absent);
    Map<String, byte[]> got = store.getAll("bulk", ask);
    assertThat(got).hasSize(50).doesNotContainKey(absent);
    batch.forEach((d, f) -> assertThat(got.get(d)).isEqualTo(f));
    assertThat(store.removeTag("bulk")).isEqualTo(50);
  }

  @Test
  void programmingErrorsThrow() {
    assertThatThrownBy(() -> store.get(null, "ab")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.get("ns", "a:b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("digest");
    assertThatThrownBy(() -> store.put("ns", "ab", frame("v", 0, List.of()), -1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    store.close();
    store.close(); // idempotent
    assertThatThrownBy(() -> store.get("ns", "ab")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void describeNamesTheServerButNotThePassword() {
    assertThat(store.describe()).startsWith("redis:redis://127.0.0.1:6379").contains(prefix);
  }

  @Test
  void providerIsFoundAndCachetUsesRedisBelowMemory() {
    RedisStoreProvider provider = ServiceLoader.load(StoreProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(RedisStoreProvider.class::isInstance)
        .map(RedisStoreProvider.class::cast).findFirst().orElseThrow();
    assertThat(provider.configType()).isEqualTo(RedisTier.class);
    try (Store s = provider.open(provider.config(uri + "?prefix=" + prefix))) {
      assertThat(s).isInstanceOf(RedisStore.class);
    }

    AtomicInteger calls = new AtomicInteger();
    String fnUri = uri + "?prefix=" + prefix;
    try (Cachet first = Cachet.builder().redis(fnUri).build()) {
      MemoizedFunction<Integer, String> f = first.function("square").version("1")
          .memoize((Integer x) -> {
            calls.incrementAndGet();
            return "sq" + (x * x);
          });
      assertThat(f.apply(12)).isEqualTo("sq144");
      assertThat(f.apply(12)).isEqualTo("sq144");
    }
    // A second Cachet (another process, as far as Redis knows) finds the result in Redis; it
    // names the tier by its typed configuration rather than the shortcut.
    try (Cachet second = Cachet.builder().tier(RedisTier.at(fnUri)).build()) {
      MemoizedFunction<Integer, String> f = second.function("square").version("1")
          .memoize((Integer x) -> {
            calls.incrementAndGet();
            return "sq" + (x * x);
          });
      assertThat(f.apply(12)).isEqualTo("sq144");
      f.cacheClear();
    }
    assertThat(calls).hasValue(1);
  }

  @Test
  void aRedisTiersCoherenceSettingsReachTheBusCachetAttaches() throws Exception {
    String tierUri = uri + "?prefix=" + prefix;
    String instance = "tier-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
    try (Cachet cachet = Cachet.builder().tier(RedisTier.at(tierUri)
            .coherence(CoherenceSettings.defaults().instanceId(instance))).build();
        RedisInvalidationBus listener = RedisInvalidationBus.open(tierUri,
            CoherenceSettings.defaults())) {
      java.util.concurrent.BlockingQueue<dev.cachet.tier.Invalidation> received =
          new java.util.concurrent.LinkedBlockingQueue<>();
      listener.subscribe(received::add);

      cachet.invalidateTag("coherence-settings", "checking the instance id");

      dev.cachet.tier.Invalidation got = received.poll(5, TimeUnit.SECONDS);
      assertThat(got).as("the tier's bus published on the URI's prefix").isNotNull();
      assertThat(got.origin()).endsWith("/" + instance);
    }
  }
}
