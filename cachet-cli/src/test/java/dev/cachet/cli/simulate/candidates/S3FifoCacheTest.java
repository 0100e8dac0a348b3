package dev.cachet.cli.simulate.candidates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class S3FifoCacheTest {

  @Test
  void keysHitInSmallOrRecalledFromTheGhostsSurviveAScan() {
    // Capacity 10: S's share is 1 entry, M's 9. Worked by hand:
    //  1..10   fill S
    //  1       hit: 1's counter is 1
    //  11      evict from S: 1 was hit, moves to M; 2 was not, goes to the ghosts
    //  2       miss, but a ghost: enters M directly (S's 3 goes to the ghosts)
    //  3       likewise (S's 4 goes)
    //  1 2     hits in M
    //  20..28  a scan of new keys: each evicts S's oldest, M is untouched
    //  1 2 3   all hits
    S3FifoCache cache = new S3FifoCache(10);

    String hits = Replay.pattern(cache, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 11, 2, 3, 1, 2,
        20, 21, 22, 23, 24, 25, 26, 27, 28, 1, 2, 3);

    assertThat(hits).isEqualTo(".".repeat(10) + "h..." + "hh" + ".".repeat(9) + "hhh");
    assertThat(cache.size()).isEqualTo(10);
  }

  @Test
  void aScanCostsLruWhatS3FifoKeeps() {
    // The same sequence through LRU (a W-TinyLFU whose window is the whole cache) keeps only
    // key 2 through the scan, and 1 evicts it on the way: no hits at the end.
    WindowTinyLfuCache lru = new WindowTinyLfuCache(10, 1.0, false, 1);

    String hits = Replay.pattern(lru, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 11, 2, 3, 1, 2,
        20, 21, 22, 23, 24, 25, 26, 27, 28, 1, 2, 3);

    assertThat(hits).endsWith("...");
  }
}
