package dev.cachet.bench;

import dev.cachet.Cachet;
import dev.cachet.EvictionPolicy;
import dev.cachet.MemoizedFunction;
import dev.cachet.codec.EntryFrame;
import dev.cachet.redis.RedisStore;
import dev.cachet.redis.RedisStoreOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The Redis tier ({@link RedisStore}) next to raw Lettuce on the same server, the same values and
 * the same number of threads. Needs a redis-server at {@value #DEFAULT_URI} (or the URI in the
 * system property {@code cachet.bench.redis}); everything is written under a prefix of the run's
 * own and removed afterwards.
 *
 * <ul>
 *   <li>{@code storeGet}: {@code RedisStore.get} of a present entry ({@value #KEYS} entries of
 *       {@value #VALUE_BYTES}-byte payloads, read in a uniform random order): namespace version
 *       from the local cache, key building, one {@code GET} on the shared multiplexed
 *       connection, the frame's checksum verified, hit counting.</li>
 *   <li>{@code lettuceGet}: the floor: a raw Lettuce synchronous {@code GET} of the same keys
 *       (same bytes) on a connection of its own, one per benchmark like the store's.</li>
 *   <li>{@code memoizedRedisHit}: {@code memoized.apply(arg)} on a Cachet whose memory keeps
 *       nothing ({@code maximumSize(0)}, LRU), so each call is served by the Redis tier: the
 *       whole path of a fleet's first read (key digest, store get, frame decode, JSON decode).</li>
 *   <li>{@code memoizedMemoryHitWithRedis} / {@code memoizedMemoryHit}: a memory hit of a
 *       memoized function on a Cachet with Redis configured below memory, and on a memory-only
 *       Cachet: what having a Redis tier costs the hot path (nothing is expected: memory hits
 *       never reach a tier).</li>
 * </ul>
 *
 * <p>Abstract: {@link RedisOneThread} and {@link RedisTwoThreads} run them at 1 and 2 threads.
 * Throughput in operations per millisecond summed over threads, and the sampled latency of one
 * operation (JMH's {@code SampleTime} mode, which also reports p50/p99/p99.9).
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public abstract class RedisBenchmark {
  static final String DEFAULT_URI = "redis://127.0.0.1:6379";
  static final int KEYS = 1000;
  static final int VALUE_BYTES = 100;
  static final int MEMO_KEYS = 1000;
  static final String NS = "redis-bench:1:code:type";
  static final int SEQUENCE_LENGTH = 1 << 16;

  /** The memoized function: a 100-character value. */
  static String value(Integer key) {
    String k = Integer.toString(key);
    return "v".repeat(VALUE_BYTES - k.length()) + k;
  }

  /** The store, raw connections and Cachets, shared by the benchmark's threads. */
  @State(Scope.Benchmark)
  public static class Servers {
    String uri;
    String prefix;
    RedisStore store;
    RedisClient rawClient;
    StatefulRedisConnection<byte[], byte[]> rawConnection;
    RedisCommands<byte[], byte[]> raw;
    String[] digests;
    byte[][] rawKeys;
    RedisStore memoStore;
    Cachet redisTierCachet;
    MemoizedFunction<Integer, String> redisTierHit;
    RedisStore hotStore;
    Cachet withRedis;
    MemoizedFunction<Integer, String> hotWithRedis;
    Cachet memoryOnly;
    MemoizedFunction<Integer, String> hotMemoryOnly;

    @Setup(Level.Trial)
    public void setUp() {
      uri = System.getProperty("cachet.bench.redis", DEFAULT_URI);
      prefix = "bench" + Long.toHexString(ThreadLocalRandom.current().nextLong()
          & Long.MAX_VALUE);
      store = RedisStore.open(RedisStoreOptions.builder(uri).prefix(prefix).strict(true)
          .build());
      byte[] payload = new byte[VALUE_BYTES];
      new SplittableRandom(7).nextBytes(payload);
      byte[] frame = new EntryFrame("bytes", "t", System.currentTimeMillis(), 0, List.of(),
          payload).encode();
      digests = new String[KEYS];
      for (int i = 0; i < KEYS; i++) {
        digests[i] = String.format("%064x", i * 2654435761L);
        store.put(NS, digests[i], frame, 0, List.of());
      }
      rawClient = RedisClient.create(uri);
      rawConnection = rawClient.connect(ByteArrayCodec.INSTANCE);
      raw = rawConnection.sync();
      // The same keys the store wrote: PREFIX:NAMESPACE:VERSION:DIGEST (docs/REDIS-FORMAT.md).
      String version = new String(raw.get((prefix + ":nsver:{" + NS + "}")
          .getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
      rawKeys = new byte[KEYS][];
      for (int i = 0; i < KEYS; i++) {
        rawKeys[i] = (prefix + ":" + NS + ":" + version + ":" + digests[i])
            .getBytes(StandardCharsets.UTF_8);
        if (raw.get(rawKeys[i]) == null) {
          throw new IllegalStateException("raw GET misses " + new String(rawKeys[i],
              StandardCharsets.UTF_8));
        }
      }

      memoStore = RedisStore.open(RedisStoreOptions.builder(uri).prefix(prefix).build());
      redisTierCachet = Cachet.builder().policy(EvictionPolicy.LRU).maximumSize(0).store(memoStore)
          .build();
      redisTierHit = redisTierCachet.function("redisHit").version("1")
          .memoize(RedisBenchmark::value);
      hotStore = RedisStore.open(RedisStoreOptions.builder(uri).prefix(prefix).build());
      withRedis = Cachet.builder().store(hotStore).build();
      hotWithRedis = withRedis.function("hot").version("1").memoize(RedisBenchmark::value);
      memoryOnly = Cachet.builder().build();
      hotMemoryOnly = memoryOnly.function("hot").version("1").memoize(RedisBenchmark::value);
      for (int i = 0; i < MEMO_KEYS; i++) {
        redisTierHit.apply(i);
        hotWithRedis.apply(i);
        hotMemoryOnly.apply(i);
      }
      redisTierHit.apply(0);
      if (memoStore.stats().hits() == 0) {
        throw new IllegalStateException("the memoized function is not served by Redis");
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      try {
        store.clear();
      } finally {
        redisTierCachet.close();
        withRedis.close();
        memoryOnly.close();
        store.close();
        rawConnection.close();
        rawClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }

  /** Each thread's own pre-drawn random order over the keys. */
  @State(Scope.Thread)
  public static class Cursor {
    int[] sequence;
    int next;

    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
      SplittableRandom random = new SplittableRandom(42 + thread.getThreadIndex());
      sequence = new int[SEQUENCE_LENGTH];
      for (int i = 0; i < SEQUENCE_LENGTH; i++) {
        sequence[i] = random.nextInt(KEYS);
      }
    }

    int nextIndex() {
      return sequence[next++ & (SEQUENCE_LENGTH - 1)];
    }
  }

  /** A hit through the store. */
  @Benchmark
  public byte[] storeGet(Servers s, Cursor c) {
    return s.store.get(NS, s.digests[c.nextIndex()]);
  }

  /** The same value by a raw Lettuce GET. */
  @Benchmark
  public byte[] lettuceGet(Servers s, Cursor c) {
    return s.raw.get(s.rawKeys[c.nextIndex()]);
  }

  /** A memoized call served by the Redis tier (memory keeps nothing). */
  @Benchmark
  public String memoizedRedisHit(Servers s, Cursor c) {
    return s.redisTierHit.apply(c.nextIndex() % MEMO_KEYS);
  }

  /** A memory hit with Redis configured below memory. */
  @Benchmark
  public String memoizedMemoryHitWithRedis(Servers s, Cursor c) {
    return s.hotWithRedis.apply(c.nextIndex() % MEMO_KEYS);
  }

  /** A memory hit on a memory-only Cachet. */
  @Benchmark
  public String memoizedMemoryHit(Servers s, Cursor c) {
    return s.hotMemoryOnly.apply(c.nextIndex() % MEMO_KEYS);
  }
}
