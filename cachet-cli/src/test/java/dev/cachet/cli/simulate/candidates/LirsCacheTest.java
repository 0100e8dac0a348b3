package dev.cachet.cli.simulate.candidates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LirsCacheTest {

  @Test
  void hirKeysSeenAgainInTheStackBecomeLir() {
    // Capacity 3: two LIR entries and one resident HIR entry. Worked by hand (stack S newest
    // first, "nr" for a non-resident HIR key):
    //  1 2     LIR while the LIR set fills: S = [2 1]
    //  3       resident HIR: S = [3 2 1], Q = [3]
    //  1       LIR hit; it was the bottom, S = [1 3 2]
    //  4       miss: Q's 3 becomes non-resident; 4 resident HIR: S = [4 1 3nr 2], Q = [4]
    //  3       miss: Q's 4 becomes non-resident; 3 was in S, so it turns LIR and the bottom
    //          LIR (2) becomes resident HIR: S = [3 4nr 1], Q = [2]
    //  1       LIR hit at the bottom: pruning drops 4nr, S = [1 3]
    //  2       resident HIR hit
    //  4       miss: 4 was forgotten entirely
    LirsCache lirs = new LirsCache(3);

    assertThat(Replay.pattern(lirs, 1, 2, 3, 1, 4, 3, 1, 2, 4)).isEqualTo("...h..hh.");
    assertThat(lirs.size()).isEqualTo(3);
  }

  @Test
  void keepsPartOfALoopLargerThanTheCache() {
    long[] loop = new long[400];
    for (int i = 0; i < loop.length; i++) {
      loop[i] = i % 4;
    }

    // LRU never hits a loop of 4 keys in 3 slots; LIRS keeps its two LIR keys.
    assertThat(Replay.hits(new WindowTinyLfuCache(3, 1.0, false, 1), 3, loop)).isZero();
    assertThat(Replay.hits(new LirsCache(3), 3, loop)).isGreaterThan(150);
  }

  @Test
  void aSingleSlotHoldsTheLastKey() {
    assertThat(Replay.pattern(new LirsCache(1), 1, 1, 2, 2, 1)).isEqualTo(".h.h.");
  }
}
