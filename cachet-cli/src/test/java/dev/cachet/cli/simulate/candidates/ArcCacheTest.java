package dev.cachet.cli.simulate.candidates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArcCacheTest {

  @Test
  void ghostHitsMoveTheTargetAndBringKeysBackAsFrequent() {
    // Capacity 2, p = 0. Worked by hand with the paper's cases:
    //  1 2   T1 = [2 1]
    //  1     hit: T2 = [1], T1 = [2]
    //  3     miss: T1 over p, its LRU (2) to B1; T1 = [3]
    //  2     B1 hit: p = 1; REPLACE moves T2's LRU (1) to B2; 2 into T2
    //  1     B2 hit: p = 0; REPLACE moves T1's LRU (3) to B1; 1 into T2 = [1 2]
    //  2     hit
    //  3     B1 hit: a miss
    ArcCache arc = new ArcCache(2);

    assertThat(Replay.pattern(arc, 1, 2, 1, 3, 2, 1, 2, 3)).isEqualTo("..h...h.");
    assertThat(arc.size()).isEqualTo(2);
  }

  @Test
  void aScanDoesNotFlushKeysSeenTwice() {
    ArcCache arc = new ArcCache(4);
    Replay.hits(arc, 4, 1, 2, 1, 2);

    // Once the scan has filled T1 and B1, the frequent keys in T2 stay resident.
    Replay.hits(arc, 4, 10, 11, 12, 13, 14, 15, 16, 17);

    assertThat(Replay.pattern(arc, 1, 2)).isEqualTo("hh");
  }
}
