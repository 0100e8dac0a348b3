package dev.cachet.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.EvictionPolicy;
import dev.cachet.stats.RemovalCause;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link MemoryStore} contract, for every policy through {@link MemoryStores#create}. ADAPTIVE
 * evicts adaptively, so for it only what the contract promises approximately is checked: bounds
 * after {@code cleanUp()}, expired entries never returned, and removal causes.
 */
class MemoryStoreContractTest {
  private final ManualTicker ticker = new ManualTicker();
  private final RecordingListener listener = new RecordingListener();

  private TestConfig config(EvictionPolicy policy) {
    return TestConfig.of(policy).ticker(ticker).listener(listener);
  }

  private static boolean exact(EvictionPolicy policy) {
    return policy != EvictionPolicy.ADAPTIVE;
  }

  @ParameterizedTest
  @EnumSource(EvictionPolicy.class)
  void storesReadsAndRemoves(EvictionPolicy policy) {
    MemoryStore store = config(policy).maximumSize(100).create();
    assertThat(store.get("a")).isNull();
    store.put("a", 1);
    store.put("b", 2);
    assertThat(store.get("a")).isEqualTo(1);
    assertThat(store.peek("b")).isEqualTo(2);
    assertThat(store.remove("a")).isEqualTo(1);
    assertThat(store.remove("a")).isNull();
    assertThat(store.get("a")).isNull();
    store.cleanUp();
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.weightedSize()).isEqualTo(1);
    assertThat(listener.events).containsExactly(
        new RecordingListener.Event("a", 1, RemovalCause.EXPLICIT));
  }

  @ParameterizedTest
  @EnumSource(EvictionPolicy.class)
  void keysListsWhatIsHeldWithoutCountingAnAccess(EvictionPolicy policy) {
    MemoryStore store = config(policy).maximumSize(100).create();
    store.put("a", 1);
    store.put("b", 2);
    store.remove("a");
    store.put("c", 3);
    assertThat(store.keys()).containsExactlyInAnyOrder("b", "c");
    // A view, not a copy; it refuses removal (removals go through remove, which reports them).
    store.put("d", 4);
    assertThat(store.keys()).contains("d");
    assertThatThrownBy(() -> store.keys().remove("b"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest
  @EnumSource(EvictionPolicy.class)
  void replacingReportsReplaced(EvictionPolicy policy) {
    MemoryStore store = config(policy).maximumSize(10).create();
    store.put("a", 1);
    store.put("a", 2);
    store.cleanUp();
    assertThat(store.get("a")).isEqualTo(2);
    assertThat(store.size()).isEqualTo(1);
    assertThat(listener.events).containsExactly(
        new RecordingListener.Event("a", 1, RemovalCause.REPLACED));
  }

  @ParameterizedTest
  @EnumSource(EvictionPolicy.class)
  void clearReportsEachEntryAsExplicit(EvictionPolicy policy) {
    MemoryStore store = config(policy).create();
    for (int i = 0; i < 50; i++) {
      store.put(i, "v" + i);
    }
    store.clear();
    store.cleanUp();
    assertThat(store.size()).isZero();
    assertThat(store.weightedSize()).isZero();
    assertThat(store.get(7)).isNull();
    assertThat(listener.events).hasSize(50)
        .allMatch(e -> e.cause() == RemovalCause.EXPLICIT && e.value().equals("v" + e.key()));
  }

  @ParameterizedTest
  @EnumSource(EvictionPolicy.class)
  void unboundedHoldsEverything(EvictionPolicy policy) {
    MemoryStore store = config(policy).create();
    for (int i = 0; i < 10_000; i++) {
      store.put(i, i);
    }
    for (int i = 0; i < 10_000; i++) {
      assertThat(store.get(i)).isEqualTo(i);
    }
    store.cleanUp();
    assertThat(store.size()).isEqualTo(10_000);
    assertThat(listener.events).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(EvictionPolicy.class)
  void respectsTheEntryBound(EvictionPolicy policy) {
    MemoryStore store = config(policy).maximumSize(100).create();
    for (int i = 0; i < 1_000; i++) {
      store.put(i, i);
      store.get(i % 37);
      if (exact(policy)) {
        assertThat(store.size()).isLessThanOrEqualTo(100); // already when put returns
      }
    }
    store.cleanUp();
    assertThat(store.size()).isEqualTo(100);
    assertThat(listener.count(RemovalCause.SIZE)).isEqualTo(900);
    assertThat(listener.events).allMatch(e -> e.cause() == RemovalCause.SIZE);
  }

  @ParameterizedTest
  @EnumSource(EvictionPolicy.class)
  void respectsTheWeightBound(EvictionPolicy policy) {
    MemoryStore store = config(policy).maximumWeight(1_000, (k, v) -> (Integer) v % 10).create();
    long inserted = 0;
    for (int i = 0; i < 2_000; i++) {
      store.put(i, i);
      inserted += i % 10;
      if (exact(policy)) {
        assertThat(store.weightedSize()).isLessThanOrEqualTo(1_000);
      }
    }
    store.cleanUp();
    assertThat(store.weightedSize()).isBetween(1_000L - 9, 1_000L);
    long evicted = listener.events.stream()
        .mapToLong(e -> (Integer) e.value() % 10).sum();
    assertThat(inserted - evicted).isEqualTo(store.weightedSize());
  }

  @ParameterizedTest
  @EnumSource(EvictionPolicy.class)
  void zeroMaximumSizeHoldsNothing(EvictionPolicy policy) {
    MemoryStore store = config(policy).maximumSize(0).create();
    store.put("a", 1);
    store.cleanUp();
    assertThat(store.get("a")).isNull();
    assertThat(store.size()).isZero();
    assertThat(listener.events).containsExactly(
        new RecordingListener.Event("a", 1, RemovalCause.SIZE));
  }

  @ParameterizedTest
  @EnumSource(EvictionPolicy.class)
  void anEntryHeavierThanTheBoundIsEvicted(EvictionPolicy policy) {
    MemoryStore store = config(policy).maximumWeight(10, (k, v) -> (Integer) v).create();
    store.put("light", 3);
    store.put("heavy", 11);
    store.cleanUp();
    assertThat(store.get("heavy")).isNull();
    assertThat(store.weightedSize()).isLessThanOrEqualTo(10);
    assertThat(listener.keys(RemovalCause.SIZE)).contains("heavy");
    if (exact(policy)) {
      assertThat(store.get("light")).isEqualTo(3);
      assertThat(listener.keys(RemovalCause.SIZE)).containsExactly("heavy");
    }
  }

  @ParameterizedTest
  @EnumSource(EvictionPolicy.class)
  void expiredEntriesAreNeverReturned(EvictionPolicy policy) {
    MemoryStore store = config(policy).maximumSize(100)
        .expireAfterWrite(Duration.ofSeconds(10)).create();
    store.put("a", 1);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(store.get("a")).isNull();
    assertThat(store.peek("a")).isNull();
    assertThat(store.remove("a")).isNull();
    store.cleanUp();
    assertThat(store.size()).isZero();
    assertThat(listener.events).containsExactly(
        new RecordingListener.Event("a", 1, RemovalCause.EXPIRED));
  }

  @ParameterizedTest
  @EnumSource(EvictionPolicy.class)
  void expiresAfterAccessAndPerEntry(EvictionPolicy policy) {
    MemoryStore store = config(policy)
        .expireAfterAccess(Duration.ofSeconds(10))
        .entryExpiry((k, v) -> "short".equals(k) ? Duration.ofSeconds(2).toNanos()
            : StoreConfig.UNSET)
        .create();
    store.put("short", 1);
    store.put("idle", 2);
    store.put("busy", 3);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(store.get("short")).isNull();
    for (int i = 0; i < 4; i++) {
      assertThat(store.get("busy")).isEqualTo(3);
      ticker.advance(Duration.ofSeconds(3));
    }
    assertThat(store.get("idle")).isNull();
    assertThat(store.get("busy")).isEqualTo(3);
    store.cleanUp();
    assertThat(store.size()).isEqualTo(1);
    assertThat(listener.keys(RemovalCause.EXPIRED)).containsExactlyInAnyOrder("short", "idle");
  }

  @ParameterizedTest
  @EnumSource(EvictionPolicy.class)
  void rejectsNulls(EvictionPolicy policy) {
    MemoryStore store = config(policy).maximumSize(10).create();
    assertThatThrownBy(() -> store.put(null, 1)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.put("a", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.peek(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.remove(null)).isInstanceOf(NullPointerException.class);
    assertThat(store.size()).isZero();
  }

  @ParameterizedTest
  @EnumSource(EvictionPolicy.class)
  void exposesItsConfig(EvictionPolicy policy) {
    StoreConfig config = config(policy).maximumSize(5).build();
    assertThat(MemoryStores.create(config).config()).isSameAs(config);
  }
}
