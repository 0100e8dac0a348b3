package dev.cachet.cli.simulate.candidates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicySwitchingCacheTest {
  private static final List<CandidateFactory> TINYLFU_LIRS_LRU = List.of(
      (c, s) -> new WindowTinyLfuCache(c, 0.01, false, s),
      (c, s) -> new LirsCache(c),
      (c, s) -> new WindowTinyLfuCache(c, 1.0, false, s));

  private static PolicySwitchingCache cache(int capacity) {
    return new PolicySwitchingCache(capacity, TINYLFU_LIRS_LRU, 1.0 / 16, 64, 1, 0.9, 0.02, 11);
  }

  @Test
  void switchesToLruWhenRecencyWins() {
    PolicySwitchingCache cache = cache(1500);
    long[] zigzag = new long[4000 * 15];
    for (int i = 0; i < zigzag.length; i++) {
      int phase = i % 4000;
      zigzag[i] = phase < 2000 ? phase : 3999 - phase;
    }

    int hits = Replay.hits(cache, 1500, zigzag);

    assertThat(cache.current()).isEqualTo(2);
    // LRU hits the 1,500 most recent keys of every sweep back: 75%, less the first sweeps.
    assertThat(hits).isGreaterThan(zigzag.length * 7 / 10);
  }

  @Test
  void leavesLruOnALoop() {
    List<CandidateFactory> lruFirst = List.of(TINYLFU_LIRS_LRU.get(2), TINYLFU_LIRS_LRU.get(1));
    PolicySwitchingCache cache =
        new PolicySwitchingCache(500, lruFirst, 1.0 / 16, 64, 1, 0.9, 0.02, 11);
    long[] loop = new long[60_000];
    for (int i = 0; i < loop.length; i++) {
      loop[i] = i % 1000;
    }

    int hits = Replay.hits(cache, 500, loop);

    // LRU never hits this loop; LIRS keeps about half of it.
    assertThat(cache.current()).isEqualTo(1);
    assertThat(hits).isGreaterThan(loop.length * 4 / 10);
  }

  @Test
  void modelsListTheirResidentKeys() {
    long[] keys = {1, 2, 3, 1, 4, 5, 1, 6, 2};
    for (CandidateFactory f : TINYLFU_LIRS_LRU) {
      CandidateCache cache = f.create(4, 3);
      Replay.hits(cache, 4, keys);

      long[] resident = cache.residentKeys();

      assertThat(resident).hasSize(cache.size()).doesNotHaveDuplicates();
      for (long k : resident) {
        assertThat(cache.access(k)).as("%d is resident", k).isTrue();
      }
    }
    assertThatThrownBy(() -> new SieveCache(2).residentKeys())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void needsAPolicy() {
    assertThatThrownBy(() -> new PolicySwitchingCache(10, List.of(), 0.1, 1, 1, 0.9, 0.02, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
