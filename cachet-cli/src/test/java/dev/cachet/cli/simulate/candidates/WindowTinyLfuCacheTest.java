package dev.cachet.cli.simulate.candidates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WindowTinyLfuCacheTest {

  @Test
  void aFullWindowIsLru() {
    WindowTinyLfuCache cache = new WindowTinyLfuCache(2, 1.0, false, 7);

    // 1 2 1 3: LRU evicts 2 for 3, so 1 hits and 2 misses.
    assertThat(Replay.pattern(cache, 1, 2, 1, 3, 1, 2)).isEqualTo("..h.h.");
  }

  @Test
  void admissionKeepsFrequentKeysAgainstAOneHitScan() {
    WindowTinyLfuCache cache = new WindowTinyLfuCache(10, 0.1, false, 7);
    for (int round = 0; round < 5; round++) {
      Replay.hits(cache, 10, 1, 2, 3, 4, 5, 6, 7, 8);
    }

    Replay.hits(cache, 10, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109);

    assertThat(Replay.hits(cache, 10, 1, 2, 3, 4, 5, 6, 7, 8)).isGreaterThanOrEqualTo(7);
  }

  @Test
  void withoutAdmissionEveryWindowLeaverEntersMain() {
    // Capacity 4, window 1, main 3. With 1 2 3 hit twice, main holds them as frequent keys.
    long[] warm = {1, 2, 3, 1, 2, 3, 1, 2, 3};
    WindowTinyLfuCache filtered = new WindowTinyLfuCache(4, 0.25, false, 7);
    WindowTinyLfuCache unfiltered = new WindowTinyLfuCache(4, 0.25, false, 7);
    unfiltered.setAdmission(false);
    Replay.hits(filtered, 4, warm);
    Replay.hits(unfiltered, 4, warm);

    // 10 fills the window, 11 pushes it out: the filter rejects it (seen once, against keys
    // seen three times); without the filter it takes main's coldest place.
    Replay.hits(filtered, 4, 10, 11);
    Replay.hits(unfiltered, 4, 10, 11);

    assertThat(Replay.pattern(filtered, 10)).isEqualTo(".");
    assertThat(Replay.pattern(unfiltered, 10)).isEqualTo("h");
  }

  @Test
  void growingTheWindowGivesBackLeastRecentlyUsedEntries() {
    WindowTinyLfuCache cache = new WindowTinyLfuCache(4, 0.25, false, 7);
    Replay.hits(cache, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1);

    cache.setWindowMax(4);
    // Key 1 was used last: growing the window must not cost it its place.
    Replay.hits(cache, 4, 9);

    assertThat(Replay.pattern(cache, 1)).isEqualTo("h");
    assertThat(cache.windowMax()).isEqualTo(4);
  }
}
