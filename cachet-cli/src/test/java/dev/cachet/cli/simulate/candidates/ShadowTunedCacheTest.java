package dev.cachet.cli.simulate.candidates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShadowTunedCacheTest {
  private static ShadowTunedCache cache(int capacity) {
    return new ShadowTunedCache(capacity, ShadowTunedCache.SETTINGS, 1.0 / 16, 64, 1, 0.9, 0.02,
        11);
  }

  /** Sweeps 0..n-1 up and down again, {@code rounds} times: LRU's best case (zigzag). */
  private static long[] zigzag(int n, int rounds) {
    long[] keys = new long[2 * n * rounds];
    int i = 0;
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < n; k++) {
        keys[i++] = k;
      }
      for (int k = n - 1; k >= 0; k--) {
        keys[i++] = k;
      }
    }
    return keys;
  }

  @Test
  void picksLruWhenRecencyWins() {
    ShadowTunedCache shadow = cache(1500);

    Replay.hits(shadow, 1500, zigzag(2000, 15));

    assertThat(shadow.setting().windowShare()).isEqualTo(1.0);
  }

  @Test
  void keepsTheSmallWindowOnALoop() {
    ShadowTunedCache shadow = cache(500);
    long[] loop = new long[60_000];
    for (int i = 0; i < loop.length; i++) {
      loop[i] = i % 1000;
    }

    int hits = Replay.hits(shadow, 500, loop);

    assertThat(shadow.setting().windowShare()).isEqualTo(0.01);
    // LRU would score nothing; OPT about half.
    assertThat(hits).isGreaterThan(loop.length * 4 / 10);
  }

  @Test
  void needsASetting() {
    assertThatThrownBy(() -> new ShadowTunedCache(10, List.of(), 0.1, 1, 1, 0.9, 0.02, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WindowSetting(1.5, false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
