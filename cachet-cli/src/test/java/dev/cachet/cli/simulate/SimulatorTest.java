package dev.cachet.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorTest {
  /** Fills three slots, reuses them all, then brings a fourth key and the first one back. */
  private static final Trace TRACE = new Trace("t", new long[] {1, 2, 3, 1, 2, 3, 4, 1});

  @Test
  void countsHitsOfEachPolicy() {
    // LRU and FIFO both evict 1 for 4, then miss on 1; OPT evicts 2 or 3, never used again.
    assertThat(Simulator.hits(TRACE, SimulatedPolicy.LRU, 3)).isEqualTo(3);
    assertThat(Simulator.hits(TRACE, SimulatedPolicy.FIFO, 3)).isEqualTo(3);
    assertThat(Simulator.hits(TRACE, SimulatedPolicy.OPT, 3)).isEqualTo(4);
    // LFU: 1, 2 and 3 were each used twice; among equals the least recently used (1) goes.
    assertThat(Simulator.hits(TRACE, SimulatedPolicy.LFU, 3)).isEqualTo(3);
  }

  @Test
  void lruAndFifoDifferWhenReadsReorder() {
    // Reading 1 again makes it recent for LRU but not for FIFO, which then evicts it for 3.
    Trace t = new Trace("t", new long[] {1, 2, 1, 3, 1});

    assertThat(Simulator.hits(t, SimulatedPolicy.LRU, 2)).isEqualTo(2);
    assertThat(Simulator.hits(t, SimulatedPolicy.FIFO, 2)).isEqualTo(1);
  }

  @Test
  void reportsEveryPolicyAndSizeInTheOrderAsked() {
    SimulationResult r = Simulator.run(TRACE,
        List.of(SimulatedPolicy.OPT, SimulatedPolicy.LRU, SimulatedPolicy.OPT),
        List.of(3, 1, 3), Progress.NONE);

    assertThat(r.policies()).containsExactly(SimulatedPolicy.OPT, SimulatedPolicy.LRU);
    assertThat(r.sizes()).containsExactly(3, 1);
    assertThat(r.accesses()).isEqualTo(8);
    assertThat(r.distinctKeys()).isEqualTo(4);
    assertThat(r.traceName()).isEqualTo("t");
    assertThat(r.hits(SimulatedPolicy.LRU, 3)).isEqualTo(3);
    assertThat(r.hitRatioPercent(SimulatedPolicy.OPT, 3)).isEqualTo(50.0);
    assertThatThrownBy(() -> r.hits(SimulatedPolicy.FIFO, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void progressCoversEveryAccessOfEveryRun() {
    long[] keys = new long[20_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = i % 700;
    }
    Trace t = new Trace("t", keys);
    List<long[]> updates = new ArrayList<>();

    Simulator.run(t, List.of(SimulatedPolicy.LRU, SimulatedPolicy.OPT), List.of(100, 500),
        (stage, done, total) -> updates.add(new long[] {done, total}));

    long total = 4L * keys.length;
    assertThat(updates).allSatisfy(u -> assertThat(u[1]).isEqualTo(total));
    assertThat(updates).extracting(u -> u[0]).isSorted();
    assertThat(updates.get(updates.size() - 1)[0]).isEqualTo(total);
    assertThat(updates.size()).isGreaterThan(4);
  }

  @Test
  void replaysSimulatorOnlyModelsByName() {
    // SIEVE: every key is visited by the time 4 arrives; the hand clears 1, 2 and 3, wraps round
    // and evicts 1, so the last access misses, as with LRU.
    assertThat(Simulator.hits(TRACE, SimulatedPolicy.valueOf("SIEVE"), 3)).isEqualTo(3);
    SimulationResult r = Simulator.run(TRACE, List.of(SimulatedPolicy.values()), List.of(3),
        Progress.NONE);
    for (SimulatedPolicy p : SimulatedPolicy.values()) {
      assertThat(r.hits(p, 3)).as("%s", p).isBetween(0L, r.hits(SimulatedPolicy.OPT, 3));
    }
    assertThat(SimulatedPolicy.SHADOW.isModel()).isTrue();
    assertThat(SimulatedPolicy.SHADOW.storePolicy()).isNull();
    assertThat(SimulatedPolicy.LRU.isModel()).isFalse();
    assertThatThrownBy(() -> SimulatedPolicy.LRU.newModel(3, 1))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void modelReplaysAreReproducible() {
    long[] keys = new long[5_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = (i * 7919L) % 613 % (1 + i % 97);
    }
    Trace t = new Trace("t", keys);

    for (SimulatedPolicy p : List.of(SimulatedPolicy.WTINYLFU, SimulatedPolicy.SHADOW)) {
      assertThat(Simulator.hits(t, p, 50)).as("%s", p).isEqualTo(Simulator.hits(t, p, 50));
    }
  }

  @Test
  void refusesEmptyListsAndNonPositiveSizes() {
    assertThatThrownBy(() -> Simulator.run(TRACE, List.of(), List.of(1), Progress.NONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Simulator.run(TRACE, List.of(SimulatedPolicy.LRU), List.of(),
        Progress.NONE)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Simulator.hits(TRACE, SimulatedPolicy.LRU, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }
}
