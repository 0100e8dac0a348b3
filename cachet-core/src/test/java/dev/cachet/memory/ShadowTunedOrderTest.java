package dev.cachet.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.EvictionPolicy;
import org.junit.jupiter.api.Test;

/**
 * The SHADOW_TUNED store's policy on small synthetic workloads; its hit ratios on the reference
 * traces are compared with the simulator's model in cachet-cli (ShadowTunedStoreTest).
 */
class ShadowTunedOrderTest {
  private static PolicyStore store(int maximumSize) {
    return (PolicyStore) MemoryStores.create(StoreConfig.ofSize(EvictionPolicy.SHADOW_TUNED,
        maximumSize));
  }

  /** Replays {@code keys} as a read-through cache would; the hits. */
  private static int replay(PolicyStore store, long[] keys) {
    int hits = 0;
    for (long k : keys) {
      Long key = k;
      if (store.get(key) != null) {
        hits++;
      } else {
        store.put(key, key);
      }
      store.cleanUp();
    }
    return hits;
  }

  private static ShadowTunedOrder order(PolicyStore store) throws ReflectiveOperationException {
    java.lang.reflect.Field f = PolicyStore.class.getDeclaredField("order");
    f.setAccessible(true);
    return (ShadowTunedOrder) f.get(store);
  }

  @Test
  void frequentKeysSurviveAScanOfNewOnes() {
    PolicyStore store = store(100);
    long[] hot = new long[50 * 20];
    for (int i = 0; i < hot.length; i++) {
      hot[i] = i % 50;
    }
    replay(store, hot);
    long[] scan = new long[1000];
    for (int i = 0; i < scan.length; i++) {
      scan[i] = 10_000 + i;
    }

    replay(store, scan);

    assertThat(store.size()).isEqualTo(100);
    assertThat(replay(store, java.util.Arrays.copyOf(hot, 50))).isGreaterThanOrEqualTo(45);
  }

  @Test
  void keepsPartOfALoopLargerThanTheStore() throws ReflectiveOperationException {
    PolicyStore store = store(500);
    long[] loop = new long[60_000];
    for (int i = 0; i < loop.length; i++) {
      loop[i] = i % 1000;
    }

    int hits = replay(store, loop);

    // LRU would never hit; OPT hits about half.
    assertThat(hits).isGreaterThan(loop.length * 4 / 10);
    assertThat(order(store).windowShare()).isEqualTo(0.01);
  }

  @Test
  void becomesLruWhenRecencyWins() throws ReflectiveOperationException {
    PolicyStore store = store(1500);
    long[] zigzag = new long[4000 * 15];
    for (int i = 0; i < zigzag.length; i++) {
      int phase = i % 4000;
      zigzag[i] = phase < 2000 ? phase : 3999 - phase;
    }

    int hits = replay(store, zigzag);

    assertThat(order(store).windowShare()).isEqualTo(1.0);
    // LRU scores 75% less the first sweep; W-TinyLFU stays well below.
    assertThat(hits).isGreaterThan(zigzag.length * 7 / 10);
  }

  @Test
  void aWeightBoundSizesTheOrderByWhatItHolds() {
    MemoryStore store = TestConfig.of(EvictionPolicy.SHADOW_TUNED).maximumWeight(300, (k, v) -> 3)
        .create();
    for (long k = 0; k < 5_000; k++) {
      store.put(k, k);
      store.get(k % 7);
    }

    assertThat(store.size()).isBetween(1L, 100L);
  }
}
