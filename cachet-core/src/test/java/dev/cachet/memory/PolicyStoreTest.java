package dev.cachet.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.EvictionPolicy;
import dev.cachet.stats.RemovalCause;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Worked examples of each policy, and the store's edge cases. */
class PolicyStoreTest {
  private final RecordingListener listener = new RecordingListener();

  private MemoryStore store(EvictionPolicy policy, long maximumSize) {
    return TestConfig.of(policy).maximumSize(maximumSize).listener(listener).create();
  }

  @Test
  void lruEvictsTheLeastRecentlyReadOrWritten() {
    MemoryStore store = store(EvictionPolicy.LRU, 3);
    store.put("a", 1);
    store.put("b", 2);
    store.put("c", 3);
    store.get("a"); // b is now the oldest
    store.put("d", 4);
    store.put("c", 33); // a write is a use: a is now the oldest
    store.put("e", 5);
    assertThat(listener.keys(RemovalCause.SIZE)).containsExactly("b", "a");
  }

  @Test
  void lfuEvictsTheLeastFrequentlyUsedThenTheLeastRecent() {
    MemoryStore store = store(EvictionPolicy.LFU, 3);
    store.put("a", 1);
    store.put("b", 2);
    store.put("c", 3);
    store.get("a");
    store.get("a"); // a: 3
    store.get("b"); // b: 2, c: 1
    store.put("d", 4); // c goes (fewest uses); d starts at 1
    store.put("c", 3); // d goes (1 use, older than c)
    store.put("b", 22); // replacing counts: b: 3, more recent than a's 3
    store.get("c");
    store.get("c"); // c: 3, the most recent of the threes
    store.put("e", 5); // a goes: all have 3, a least recently used
    assertThat(listener.keys(RemovalCause.SIZE)).containsExactly("c", "d", "a");
  }

  @Test
  void fifoEvictsTheEarliestInsertedAndReadsDoNotReorder() {
    MemoryStore store = store(EvictionPolicy.FIFO, 3);
    store.put("a", 1);
    store.put("b", 2);
    store.put("c", 3);
    store.get("a");
    store.get("a");
    store.put("d", 4); // a goes although just read
    store.put("b", 22); // a replacement is a new insertion: c is now the earliest
    store.put("e", 5);
    assertThat(listener.keys(RemovalCause.SIZE)).containsExactly("a", "c");
  }

  @ParameterizedTest
  @EnumSource(value = EvictionPolicy.class, names = {"LRU", "LFU", "FIFO"})
  void longSkewedTraceMatchesTheModelExactly(EvictionPolicy policy) {
    // Long enough for reads to be replayed from the buffers thousands of times.
    int capacity = 50;
    PolicyStore store = new PolicyStore(StoreConfig.ofSize(policy, capacity));
    ReferenceModel model = new ReferenceModel(policy, capacity, StoreConfig.UNSET, null);
    SplittableRandom random = new SplittableRandom(42);
    long hits = 0;
    for (int i = 0; i < 100_000; i++) {
      int key = Math.min(random.nextInt(400), Math.min(random.nextInt(400), random.nextInt(400)));
      Object expected = model.get(key);
      Object actual = store.get(key);
      assertThat(actual).as("access #%d of %d", i, key).isEqualTo(expected);
      if (actual == null) {
        model.put(key, key);
        store.put(key, key);
      } else {
        hits++;
      }
    }
    assertThat(store.size()).isEqualTo(capacity);
    assertThat(hits).isPositive();
  }

  @Test
  void refusesAdaptive() {
    assertThatThrownBy(() -> new PolicyStore(StoreConfig.ofSize(EvictionPolicy.ADAPTIVE, 10)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void negativeWeightIsRejectedWithoutChangingTheStore() {
    MemoryStore store = TestConfig.of(EvictionPolicy.LRU).maximumWeight(10, (k, v) -> (Integer) v)
        .create();
    store.put("a", 2);
    assertThatThrownBy(() -> store.put("a", -1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.get("a")).isEqualTo(2);
    assertThat(store.weightedSize()).isEqualTo(2);
  }

  @Test
  void zeroWeightEntriesDoNotCount() {
    MemoryStore store = TestConfig.of(EvictionPolicy.LFU).maximumWeight(0, (k, v) -> (Integer) v)
        .listener(listener).create();
    for (int i = 0; i < 10; i++) {
      store.put(i, 0);
    }
    store.put("heavy", 1);
    assertThat(store.size()).isEqualTo(10);
    assertThat(store.weightedSize()).isZero();
    assertThat(listener.keys(RemovalCause.SIZE)).containsExactly("heavy");
  }

  @Test
  void aThrowingListenerNeitherBreaksTheStoreNorHidesOtherRemovals() {
    RecordingListener seen = new RecordingListener();
    MemoryStore store = TestConfig.of(EvictionPolicy.LRU).listener((k, v, c) -> {
      seen.onRemoval(k, v, c);
      throw new IllegalStateException("listener bug");
    }).create();
    store.put("a", 1);
    store.put("b", 2);
    store.clear();
    assertThat(seen.events).hasSize(2);
    store.put("c", 3);
    assertThat(store.get("c")).isEqualTo(3);
  }

  @Test
  void listenerRunsOutsideTheLockAndMayUseTheStore() throws Exception {
    AtomicReference<MemoryStore> ref = new AtomicReference<>();
    MemoryStore store = TestConfig.of(EvictionPolicy.LRU).maximumSize(10).listener((k, v, c) -> {
      if (!"a".equals(k)) {
        return;
      }
      MemoryStore s = ref.get();
      // Another thread can write meanwhile: it would block forever if the lock were held.
      CompletableFuture.runAsync(() -> s.put("from-other-thread", 0))
          .orTimeout(5, TimeUnit.SECONDS).join();
      s.put("from-listener", 0); // and re-entrant calls work
    }).create();
    ref.set(store);
    store.put("a", 1);
    store.remove("a");
    assertThat(store.peek("from-other-thread")).isEqualTo(0);
    assertThat(store.peek("from-listener")).isEqualTo(0);
  }

  @Test
  void peekDoesNotChangeThePolicyState() {
    MemoryStore store = store(EvictionPolicy.LRU, 2);
    store.put("a", 1);
    store.put("b", 2);
    assertThat(store.peek("a")).isEqualTo(1);
    store.put("c", 3);
    assertThat(listener.keys(RemovalCause.SIZE)).containsExactly("a");
  }

  @Test
  void nullArgumentsAreRejectedWithAClearMessage() {
    MemoryStore store = store(EvictionPolicy.LFU, 2);
    assertThatThrownBy(() -> store.put(null, 1)).hasMessageContaining("key");
    assertThatThrownBy(() -> store.put(1, null)).hasMessageContaining("value");
    assertThatThrownBy(() -> store.get(null)).hasMessageContaining("key");
  }

  @ParameterizedTest
  @EnumSource(value = EvictionPolicy.class, names = {"LRU", "LFU"})
  void readHitsDoNotAllocate(EvictionPolicy policy) {
    var threads = ManagementFactory.getThreadMXBean();
    if (!(threads instanceof com.sun.management.ThreadMXBean bean)
        || !bean.isThreadAllocatedMemorySupported()) {
      return;
    }
    MemoryStore store = TestConfig.of(policy).maximumSize(1_000).create();
    Integer[] keys = new Integer[1_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = i;
      store.put(keys[i], keys[i]);
    }
    long id = Thread.currentThread().getId();
    long allocated = Long.MAX_VALUE;
    for (int round = 0; round < 10 && allocated > 0; round++) {
      long before = bean.getThreadAllocatedBytes(id);
      for (int i = 0; i < 200_000; i++) {
        store.get(keys[i % keys.length]);
      }
      allocated = bean.getThreadAllocatedBytes(id) - before;
    }
    // Once compiled, a hit allocates nothing; a few bytes of slack for measurement noise.
    assertThat(allocated).isLessThan(200_000);
  }
}
