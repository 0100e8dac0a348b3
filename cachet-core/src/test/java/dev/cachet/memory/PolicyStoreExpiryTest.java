package dev.cachet.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.EvictionPolicy;
import dev.cachet.stats.RemovalCause;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Expiry of {@link PolicyStore}, driven by a manual ticker. */
class PolicyStoreExpiryTest {
  private static final Duration MS = Duration.ofMillis(1);

  private final ManualTicker ticker = new ManualTicker();
  private final RecordingListener listener = new RecordingListener();

  private TestConfig config(EvictionPolicy policy) {
    return TestConfig.of(policy).ticker(ticker).listener(listener);
  }

  /** Per-entry lifetime in milliseconds taken from the value; negative means none. */
  private static StoreConfig.EntryExpiry lifetimeFromValue() {
    return (k, v) -> {
      long ms = ((Number) v).longValue();
      return ms < 0 ? StoreConfig.UNSET : Duration.ofMillis(ms).toNanos();
    };
  }

  @ParameterizedTest
  @EnumSource(value = EvictionPolicy.class, names = {"LRU", "LFU", "FIFO"})
  void expiresAfterWrite(EvictionPolicy policy) {
    MemoryStore store = config(policy).expireAfterWrite(Duration.ofSeconds(10)).create();
    store.put("a", 1);
    ticker.advance(Duration.ofSeconds(9));
    assertThat(store.get("a")).isEqualTo(1); // reads do not extend a write lifetime
    ticker.advance(Duration.ofMillis(999));
    assertThat(store.get("a")).isEqualTo(1);
    ticker.advanceNanos(1_000_000);
    assertThat(store.get("a")).isNull();
    assertThat(store.peek("a")).isNull();
    assertThat(store.remove("a")).isNull();
    assertThat(store.size()).isZero();
    assertThat(listener.events).containsExactly(
        new RecordingListener.Event("a", 1, RemovalCause.EXPIRED));
  }

  @ParameterizedTest
  @EnumSource(value = EvictionPolicy.class, names = {"LRU", "LFU", "FIFO"})
  void writeRestartsTheWriteLifetime(EvictionPolicy policy) {
    MemoryStore store = config(policy).expireAfterWrite(Duration.ofSeconds(10)).create();
    store.put("a", 1);
    ticker.advance(Duration.ofSeconds(8));
    store.put("a", 2);
    ticker.advance(Duration.ofSeconds(8));
    assertThat(store.get("a")).isEqualTo(2);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(store.get("a")).isNull();
  }

  @ParameterizedTest
  @EnumSource(value = EvictionPolicy.class, names = {"LRU", "LFU", "FIFO"})
  void readsRefreshTimeToIdleButPeekDoesNot(EvictionPolicy policy) {
    MemoryStore store = config(policy).expireAfterAccess(Duration.ofSeconds(10)).create();
    store.put("a", 1);
    store.put("b", 2);
    for (int i = 0; i < 5; i++) {
      ticker.advance(Duration.ofSeconds(6));
      assertThat(store.get("a")).isEqualTo(1);
    }
    assertThat(store.peek("b")).isNull();
    ticker.advance(Duration.ofSeconds(6));
    assertThat(store.peek("a")).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(4));
    assertThat(store.peek("a")).isNull();
    store.cleanUp();
    assertThat(store.size()).isZero();
    assertThat(listener.keys(RemovalCause.EXPIRED)).containsExactlyInAnyOrder("a", "b");
  }

  @ParameterizedTest
  @EnumSource(value = EvictionPolicy.class, names = {"LRU", "LFU", "FIFO"})
  void writesRefreshTimeToIdle(EvictionPolicy policy) {
    MemoryStore store = config(policy).expireAfterAccess(Duration.ofSeconds(10)).create();
    store.put("a", 1);
    ticker.advance(Duration.ofSeconds(9));
    store.put("a", 2);
    ticker.advance(Duration.ofSeconds(9));
    assertThat(store.peek("a")).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(value = EvictionPolicy.class, names = {"LRU", "LFU", "FIFO"})
  void perEntryLifetimes(EvictionPolicy policy) {
    MemoryStore store = config(policy).entryExpiry(lifetimeFromValue()).create();
    store.put("short", 5L);
    store.put("long", 5_000L);
    store.put("forever", -1L);
    store.put("zero", 0L);
    assertThat(store.get("zero")).isNull();
    ticker.advance(Duration.ofMillis(5));
    assertThat(store.get("short")).isNull();
    assertThat(store.get("long")).isEqualTo(5_000L);
    ticker.advance(Duration.ofSeconds(5));
    assertThat(store.get("long")).isNull();
    ticker.advance(Duration.ofDays(3000));
    assertThat(store.get("forever")).isEqualTo(-1L);
    store.cleanUp();
    assertThat(store.size()).isEqualTo(1);
    assertThat(listener.keys(RemovalCause.EXPIRED))
        .containsExactlyInAnyOrder("short", "long", "zero");
  }

  @Test
  void perEntryLifetimeIsRecomputedAtEachWrite() {
    MemoryStore store = config(EvictionPolicy.LRU).entryExpiry(lifetimeFromValue()).create();
    store.put("a", 10L);
    store.put("a", -1L);
    ticker.advance(Duration.ofHours(1));
    assertThat(store.get("a")).isEqualTo(-1L);
    store.put("a", 10L);
    ticker.advance(Duration.ofMillis(10));
    assertThat(store.get("a")).isNull();
  }

  @ParameterizedTest
  @EnumSource(value = EvictionPolicy.class, names = {"LRU", "LFU", "FIFO"})
  void earliestDeadlineWins(EvictionPolicy policy) {
    MemoryStore store = config(policy)
        .expireAfterWrite(Duration.ofSeconds(10))
        .expireAfterAccess(Duration.ofSeconds(4))
        .entryExpiry(lifetimeFromValue())
        .create();
    store.put("idle", -1L); // time to idle (4 s) comes first
    store.put("write", -1L); // kept busy: the write lifetime (10 s) comes first
    store.put("own", 2_000L); // its own 2 s come first
    ticker.advance(Duration.ofSeconds(2));
    assertThat(store.get("own")).isNull();
    assertThat(store.get("write")).isEqualTo(-1L);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(store.get("idle")).isNull();
    for (int i = 0; i < 4; i++) {
      assertThat(store.get("write")).isEqualTo(-1L);
      ticker.advance(Duration.ofMillis(1_500)); // ends at 4 s + 4 * 1.5 s = 10 s
    }
    assertThat(store.get("write")).isNull();
    store.cleanUp();
    assertThat(store.size()).isZero();
    assertThat(listener.count(RemovalCause.EXPIRED)).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(value = EvictionPolicy.class, names = {"LRU", "LFU", "FIFO"})
  void expiredEntriesAreReclaimedByLaterWritesWithoutBeingRead(EvictionPolicy policy) {
    assertReclaimedByWrites(config(policy).expireAfterWrite(Duration.ofSeconds(1)).create());
    assertReclaimedByWrites(config(policy).expireAfterAccess(Duration.ofSeconds(1)).create());
    assertReclaimedByWrites(config(policy).entryExpiry((k, v) -> Duration.ofSeconds(1).toNanos())
        .create());
  }

  private void assertReclaimedByWrites(MemoryStore store) {
    listener.clear();
    for (int i = 0; i < 100; i++) {
      store.put(i, i);
    }
    ticker.advance(Duration.ofSeconds(2));
    store.put("fresh", 1);
    assertThat(store.size()).isEqualTo(1);
    assertThat(listener.count(RemovalCause.EXPIRED)).isEqualTo(100);
    ticker.advance(Duration.ofSeconds(2));
    store.cleanUp();
    assertThat(store.size()).isZero();
    assertThat(listener.count(RemovalCause.EXPIRED)).isEqualTo(101);
  }

  @ParameterizedTest
  @EnumSource(value = EvictionPolicy.class, names = {"LRU", "LFU"})
  void readsAloneEventuallyReclaimExpiredEntries(EvictionPolicy policy) {
    // Reads that drain a full enough buffer run maintenance too.
    MemoryStore store = config(policy).maximumSize(1_000)
        .expireAfterWrite(Duration.ofSeconds(1)).create();
    for (int i = 0; i < 100; i++) {
      store.put(i, i);
    }
    ticker.advance(Duration.ofMillis(500));
    store.put("live", 1);
    ticker.advance(Duration.ofMillis(600));
    for (int i = 0; i < 10 * ReadBuffer.RING_CAPACITY; i++) {
      assertThat(store.get("live")).isEqualTo(1);
    }
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void fifoWithTimeToIdleReclaimsOnReadsToo() {
    MemoryStore store =
        config(EvictionPolicy.FIFO).expireAfterAccess(Duration.ofSeconds(1)).create();
    store.put("a", 1);
    store.put("b", 2);
    ticker.advance(Duration.ofMillis(600));
    for (int i = 0; i < 10 * ReadBuffer.RING_CAPACITY; i++) {
      assertThat(store.get("a")).isEqualTo(1);
    }
    ticker.advance(Duration.ofMillis(600));
    for (int i = 0; i < 10 * ReadBuffer.RING_CAPACITY; i++) {
      assertThat(store.get("a")).isEqualTo(1);
    }
    assertThat(store.size()).isEqualTo(1);
    assertThat(listener.keys(RemovalCause.EXPIRED)).containsExactly("b");
  }

  @Test
  void readingAnExpiredEntryReclaimsIt() {
    MemoryStore store = config(EvictionPolicy.FIFO).entryExpiry(lifetimeFromValue()).create();
    store.put("a", 1L);
    ticker.advance(Duration.ofMillis(1));
    assertThat(store.get("a")).isNull();
    assertThat(store.size()).isZero();
    assertThat(listener.keys(RemovalCause.EXPIRED)).containsExactly("a");
  }

  @ParameterizedTest
  @EnumSource(value = EvictionPolicy.class, names = {"LRU", "LFU", "FIFO"})
  void writingOverAnExpiredEntryReportsExpiredNotReplaced(EvictionPolicy policy) {
    MemoryStore store = config(policy).expireAfterWrite(Duration.ofSeconds(1)).create();
    store.put("a", 1);
    ticker.advance(Duration.ofSeconds(1));
    store.put("a", 2);
    assertThat(listener.events).containsExactly(
        new RecordingListener.Event("a", 1, RemovalCause.EXPIRED));
    assertThat(store.get("a")).isEqualTo(2);
  }

  @Test
  void subMillisecondDeadlinesAreReclaimedExactlyByCleanUp() {
    MemoryStore store = config(EvictionPolicy.LRU)
        .entryExpiry((k, v) -> ((Number) v).longValue()).create();
    ticker.advanceNanos(123_456);
    store.put("a", 100L);
    store.put("b", 300L);
    ticker.advanceNanos(100);
    store.cleanUp();
    assertThat(listener.keys(RemovalCause.EXPIRED)).containsExactly("a");
    ticker.advanceNanos(199);
    store.cleanUp();
    assertThat(store.size()).isEqualTo(1);
    ticker.advanceNanos(1);
    store.cleanUp();
    assertThat(store.size()).isZero();
  }

  @Test
  void longPerEntryLifetimesCascadeThroughTheWheel() {
    // One lifetime per wheel level and beyond the wheel's reach, in increasing order.
    List<Duration> lifetimes = List.of(Duration.ofMillis(70), Duration.ofSeconds(5),
        Duration.ofMinutes(5), Duration.ofHours(5), Duration.ofDays(13), Duration.ofDays(800),
        Duration.ofDays(365 * 100));
    MemoryStore store = config(EvictionPolicy.LFU)
        .entryExpiry((k, v) -> ((Duration) v).toNanos()).create();
    ticker.advanceNanos(777_777); // not aligned on any bucket
    for (Duration d : lifetimes) {
      store.put(d.toString(), d);
    }
    long elapsed = 0;
    for (Duration d : lifetimes) {
      ticker.advanceNanos(d.toNanos() - 1 - elapsed);
      store.put("write", Duration.ZERO); // writes advance the wheel as well
      store.cleanUp();
      assertThat(store.peek(d.toString())).as(d.toString()).isEqualTo(d);
      assertThat(listener.keys(RemovalCause.EXPIRED)).doesNotContain(d.toString());
      ticker.advanceNanos(1);
      elapsed = d.toNanos();
      store.cleanUp();
      assertThat(listener.keys(RemovalCause.EXPIRED)).as(d.toString()).contains(d.toString());
    }
    assertThat(store.size()).isZero();
  }

  @Test
  void largeClockJumpsReclaimEverythingDue() {
    MemoryStore store = config(EvictionPolicy.LRU)
        .entryExpiry((k, v) -> Duration.ofMillis(((Number) v).longValue()).toNanos()).create();
    for (int i = 0; i < 1_000; i++) {
      store.put(i, (long) (i * 7919 % 100_000)); // lifetimes spread over 0..100 s
    }
    long expected = 1_000;
    for (int step = 0; step < 100; step++) {
      ticker.advance(Duration.ofSeconds(1));
      store.put("w", 0L);
      long now = (step + 1) * 1_000L;
      expected = 0;
      for (int i = 0; i < 1_000; i++) {
        if (i * 7919 % 100_000 > now) {
          expected++;
        }
      }
      if (step % 10 == 0) {
        store.cleanUp();
        assertThat(store.size()).as("after %d s", step + 1).isEqualTo(expected);
      }
    }
    assertThat(expected).isZero();
  }
}
