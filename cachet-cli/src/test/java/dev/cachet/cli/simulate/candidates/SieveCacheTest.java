package dev.cachet.cli.simulate.candidates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SieveCacheTest {

  @Test
  void theHandSkipsVisitedEntriesAndStaysWhereItStopped() {
    // Capacity 3. Worked by hand, queue written newest first:
    //  1 2 3      fill: [3 2 1]
    //  1          hit: 1 visited
    //  4          hand at the oldest (1): visited, cleared, on to 2: evicted; hand now on 3
    //  2          hand on 3: not visited, evicted; hand now on 4       [2 4 1]
    //  5          hand on 4: evicted; hand now on 2                    [5 2 1]
    //  1 2        both hits (1 survived the evictions of 2, 3 and 4)
    //  3          miss
    SieveCache sieve = new SieveCache(3);

    assertThat(Replay.pattern(sieve, 1, 2, 3, 1, 4, 2, 5, 1, 2, 3)).isEqualTo("...h...hh.");
    assertThat(sieve.size()).isEqualTo(3);
  }

  @Test
  void withoutHitsItIsFifo() {
    SieveCache sieve = new SieveCache(2);

    assertThat(Replay.pattern(sieve, 1, 2, 3, 2, 1)).isEqualTo("...h.");
  }

  @Test
  void refusesANonPositiveCapacity() {
    assertThatThrownBy(() -> new SieveCache(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
