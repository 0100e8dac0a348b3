package dev.cachet.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ShadowCache} on primitive arrays must hit and miss exactly as the boxed
 * {@link BoxedShadowCache} it replaced: the shadows pick SHADOW_TUNED's setting, so the two
 * agreeing access for access is what keeps the store's hit ratios unchanged.
 */
class ShadowCacheTest {

  @ParameterizedTest(name = "capacity {0}, window {1}, random admission {2}")
  @CsvSource({
      "1, 0.01, true", "2, 1.0, false", "7, 0.01, false", "100, 0.01, true",
      "512, 0.01, true", "512, 0.01, false", "512, 1.0, false", "3000, 0.01, true"})
  void hitsExactlyAsTheBoxedShadow(int capacity, double window, boolean random) {
    ShadowCache shadow = new ShadowCache(capacity, window, random, 42);
    BoxedShadowCache reference = new BoxedShadowCache(capacity, window, random, 42);
    SplittableRandom keys = new SplittableRandom(capacity);
    int hits = 0;
    for (int i = 0; i < 200_000; i++) {
      int hash = nextKey(keys, capacity, i);
      boolean hit = shadow.access(hash);
      assertThat(hit).as("access %d to %d", i, hash).isEqualTo(reference.access(hash));
      hits += hit ? 1 : 0;
    }
    assertThat(shadow.size()).isLessThanOrEqualTo(capacity);
    // Both hits and misses were exercised, so eviction and admission were compared too.
    assertThat(hits).isBetween(1, 199_999);
  }

  /**
   * Phases of skewed reuse, scans of new keys and loops a little larger than the capacity, over
   * hashes that are often adjacent, so that probe runs in the open-addressing table collide.
   */
  private static int nextKey(SplittableRandom r, int capacity, int i) {
    int span = 4 * capacity + 4;
    return switch ((i / 5_000) % 3) {
      case 0 -> (int) (span * Math.pow(r.nextDouble(), 3));
      case 1 -> r.nextInt(8) == 0 ? r.nextInt() : r.nextInt(span);
      default -> i % (capacity + capacity / 4 + 1);
    };
  }
}
