package dev.cachet.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptTest {

  private static Trace trace(long... keys) {
    return new Trace("test", keys);
  }

  @Test
  void evictsTheKeyUsedFarthestInTheFuture() {
    // At the miss on 4, keys 1, 2 and 3 are held; 1 comes back first and 3 last, so 3 goes.
    Trace t = trace(1, 2, 3, 4, 1, 2, 3);

    assertThat(new Opt(t).hits(3)).isEqualTo(2);
  }

  @Test
  void evictsKeysNeverUsedAgainFirst() {
    // At the miss on 4, key 2 is never used again: evicting it keeps both 1 and 3.
    Trace t = trace(1, 2, 3, 4, 1, 3);

    assertThat(new Opt(t).hits(3)).isEqualTo(2);
  }

  @Test
  void theClassicTextbookExample() {
    // Silberschatz's reference string: OPT has 9 faults with 3 frames, so 11 hits of 20.
    Trace t = trace(7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1);

    assertThat(new Opt(t).hits(3)).isEqualTo(11);
  }

  @Test
  void aCacheHoldingEveryKeyMissesOnlyOncePerKey() {
    Trace t = trace(5, 6, 5, 7, 6, 5, 7, 8);

    assertThat(new Opt(t).hits(4)).isEqualTo(8 - 4);
    assertThat(new Opt(t).hits(100)).isEqualTo(8 - 4);
  }

  @Test
  void zeroCapacityHitsNothingAndNegativeIsRefused() {
    Opt opt = new Opt(trace(1, 1, 1));

    assertThat(opt.hits(0)).isZero();
    assertThatThrownBy(() -> opt.hits(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void oneInstanceServesManySizes() {
    Opt opt = new Opt(trace(1, 2, 3, 1, 2, 3, 1, 2, 3));

    assertThat(opt.hits(1)).isZero();
    assertThat(opt.hits(2)).isEqualTo(3);
    assertThat(opt.hits(3)).isEqualTo(6);
  }

  /** Belady's theorem, checked: no eviction choice whatsoever scores more hits than OPT. */
  @Test
  void matchesAnExhaustiveSearchOnSmallRandomTraces() {
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      int length = 1 + random.nextInt(12);
      int alphabet = 1 + random.nextInt(5);
      long[] keys = new long[length];
      for (int i = 0; i < length; i++) {
        keys[i] = random.nextInt(alphabet) * 7L - 3;
      }
      int capacity = 1 + random.nextInt(3);

      assertThat(new Opt(trace(keys)).hits(capacity))
          .as("trace %s, capacity %d", java.util.Arrays.toString(keys), capacity)
          .isEqualTo(bestPossible(keys, 0, new HashSet<>(), capacity));
    }
  }

  private static long bestPossible(long[] keys, int from, Set<Long> held, int capacity) {
    if (from == keys.length) {
      return 0;
    }
    long key = keys[from];
    if (held.contains(key)) {
      return 1 + bestPossible(keys, from + 1, held, capacity);
    }
    if (held.size() < capacity) {
      Set<Long> next = new HashSet<>(held);
      next.add(key);
      return bestPossible(keys, from + 1, next, capacity);
    }
    long best = 0;
    for (long victim : held) {
      Set<Long> next = new HashSet<>(held);
      next.remove(victim);
      next.add(key);
      best = Math.max(best, bestPossible(keys, from + 1, next, capacity));
    }
    return best;
  }
}
