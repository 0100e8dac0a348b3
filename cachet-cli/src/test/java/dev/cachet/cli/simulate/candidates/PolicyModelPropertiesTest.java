package dev.cachet.cli.simulate.candidates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.cli.simulate.Opt;
import dev.cachet.cli.simulate.SimulatedPolicy;
import dev.cachet.cli.simulate.Trace;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Invariants every simulator model keeps on random traces: never more keys than its capacity,
 * the same hits for the same seed, and, for the models that store every missed key, never more
 * hits than Belady's OPT. (W-TinyLFU and the designs built on it may decline to store a key,
 * and such a cache can beat OPT as the simulator defines it, so they are left out of that one.)
 */
class PolicyModelPropertiesTest {
  private static final List<SimulatedPolicy> STORE_EVERY_MISS = List.of(SimulatedPolicy.SIEVE,
      SimulatedPolicy.S3FIFO, SimulatedPolicy.ARC, SimulatedPolicy.LIRS);

  @Provide
  Arbitrary<long[]> traces() {
    // Few distinct keys, so that hits, evictions and ghosts all happen; a skew so that
    // frequencies differ.
    return Arbitraries.longs().between(0, 40).array(long[].class).ofMinSize(1).ofMaxSize(600)
        .map(keys -> {
          for (int i = 0; i < keys.length; i++) {
            keys[i] = keys[i] * keys[i] % 41;
          }
          return keys;
        });
  }

  private static List<SimulatedPolicy> models() {
    return Arrays.stream(SimulatedPolicy.values()).filter(SimulatedPolicy::isModel).toList();
  }

  @Property(tries = 150)
  void neverHoldsMoreThanItsCapacity(@ForAll("traces") long[] keys,
      @ForAll @IntRange(min = 1, max = 30) int capacity) {
    for (SimulatedPolicy p : models()) {
      CandidateCache cache = p.newModel(capacity, 5);
      for (long k : keys) {
        cache.access(k);
        assertThat(cache.size()).as("%s at capacity %d", p, capacity).isBetween(1, capacity);
      }
    }
  }

  @Property(tries = 150)
  void storingEveryMissNeverBeatsOpt(@ForAll("traces") long[] keys,
      @ForAll @IntRange(min = 1, max = 30) int capacity) {
    long opt = new Opt(new Trace("random", keys)).hits(capacity);
    for (SimulatedPolicy p : STORE_EVERY_MISS) {
      assertThat(Replay.hits(p.newModel(capacity, 5), capacity, keys))
          .as("%s at capacity %d", p, capacity).isLessThanOrEqualTo((int) opt);
    }
  }

  @Property(tries = 100)
  void sameSeedSameHits(@ForAll("traces") long[] keys,
      @ForAll @IntRange(min = 1, max = 30) int capacity, @ForAll @LongRange long seed) {
    for (SimulatedPolicy p : models()) {
      assertThat(Replay.hits(p.newModel(capacity, seed), capacity, keys))
          .as("%s at capacity %d", p, capacity)
          .isEqualTo(Replay.hits(p.newModel(capacity, seed), capacity, keys));
    }
  }

  @Property(tries = 100)
  void aFullWindowIsExactlyLru(@ForAll("traces") long[] keys,
      @ForAll @IntRange(min = 1, max = 30) int capacity) {
    long[] keysCopy = keys.clone();
    LruReference lru = new LruReference(capacity);
    String expected = Replay.pattern(lru, keysCopy);

    assertThat(Replay.pattern(new WindowTinyLfuCache(capacity, 1.0, false, 3), keys))
        .isEqualTo(expected);
    ShadowTunedCache lruOnly = new ShadowTunedCache(capacity,
        List.of(new WindowSetting(1.0, false)), 0.5, 1, 1, 0.9, 0.02, 3);
    assertThat(Replay.pattern(lruOnly, keys)).isEqualTo(expected);
  }

  /** The textbook LRU, on the JDK's access-ordered map, as a reference. */
  private static final class LruReference implements CandidateCache {
    private final int capacity;
    private final java.util.LinkedHashMap<Long, Boolean> map =
        new java.util.LinkedHashMap<>(16, 0.75f, true);

    LruReference(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public boolean access(long key) {
      if (map.get(key) != null) {
        return true;
      }
      if (map.size() == capacity) {
        map.remove(map.keySet().iterator().next());
      }
      map.put(key, true);
      return false;
    }

    @Override
    public int size() {
      return map.size();
    }
  }
}
