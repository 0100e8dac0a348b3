package dev.cachet.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.EvictionPolicy;
import dev.cachet.stats.RemovalCause;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Single-threaded equivalence of {@link PolicyStore} with {@link ReferenceModel}: after every
 * operation the answer, the removals reported and the resulting contents must be identical.
 */
class PolicyStoreProperties {
  private static final int KEYS = 10;

  enum Kind { GET, PEEK, PUT, REMOVE, CLEAR }

  record Op(Kind kind, int key, int value) {
    @Override
    public String toString() {
      return switch (kind) {
        case GET, PEEK, REMOVE -> kind + "(" + key + ")";
        case PUT -> "PUT(" + key + "," + value + ")";
        case CLEAR -> "CLEAR";
      };
    }
  }

  /** Weight 0..3 derived from the value, so replacing a value can change the weight. */
  static long weightOf(Object key, Object value) {
    return ((Integer) value) % 4;
  }

  @Property
  void lruMatchesModel(@ForAll("ops") List<Op> ops, @ForAll @IntRange(max = 8) int bound) {
    check(EvictionPolicy.LRU, bound, false, ops);
  }

  @Property
  void lfuMatchesModel(@ForAll("ops") List<Op> ops, @ForAll @IntRange(max = 8) int bound) {
    check(EvictionPolicy.LFU, bound, false, ops);
  }

  @Property
  void fifoMatchesModel(@ForAll("ops") List<Op> ops, @ForAll @IntRange(max = 8) int bound) {
    check(EvictionPolicy.FIFO, bound, false, ops);
  }

  @Property
  void weightedLruMatchesModel(@ForAll("ops") List<Op> ops,
      @ForAll @IntRange(max = 8) int bound) {
    check(EvictionPolicy.LRU, bound, true, ops);
  }

  @Property
  void weightedLfuMatchesModel(@ForAll("ops") List<Op> ops,
      @ForAll @IntRange(max = 8) int bound) {
    check(EvictionPolicy.LFU, bound, true, ops);
  }

  @Property
  void weightedFifoMatchesModel(@ForAll("ops") List<Op> ops,
      @ForAll @IntRange(max = 8) int bound) {
    check(EvictionPolicy.FIFO, bound, true, ops);
  }

  /** Read-heavy sequences long enough for reads to be replayed from the buffers mid-way. */
  @Property(tries = 60)
  void readHeavyLruAndLfuMatchModel(@ForAll("readHeavyOps") List<Op> ops,
      @ForAll @IntRange(min = 1, max = 8) int bound, @ForAll boolean lfu) {
    check(lfu ? EvictionPolicy.LFU : EvictionPolicy.LRU, bound, false, ops);
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    return opArbitrary(5, 1).list().ofMaxSize(80);
  }

  @Provide
  Arbitrary<List<Op>> readHeavyOps() {
    return opArbitrary(60, 0).list().ofMinSize(200).ofMaxSize(1500);
  }

  private static Arbitrary<Op> opArbitrary(int readWeight, int clearWeight) {
    Arbitrary<Integer> keys = Arbitraries.integers().between(0, KEYS - 1);
    Arbitrary<Integer> values = Arbitraries.integers().between(0, 99);
    List<Tuple.Tuple2<Integer, Arbitrary<Op>>> choices = new ArrayList<>();
    choices.add(Tuple.of(readWeight, keys.map(k -> new Op(Kind.GET, k, 0))));
    choices.add(Tuple.of(1, keys.map(k -> new Op(Kind.PEEK, k, 0))));
    choices.add(Tuple.of(5, Combinators.combine(keys, values).as((k, v) -> new Op(Kind.PUT, k, v))));
    choices.add(Tuple.of(1, keys.map(k -> new Op(Kind.REMOVE, k, 0))));
    if (clearWeight > 0) {
      choices.add(Tuple.of(clearWeight, Arbitraries.just(new Op(Kind.CLEAR, 0, 0))));
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Arbitrary<Op> op = Arbitraries.frequencyOf(choices.toArray(new Tuple.Tuple2[0]));
    return op;
  }

  static void check(EvictionPolicy policy, int bound, boolean weighted, List<Op> ops) {
    List<ReferenceModel.Removal> notified = new ArrayList<>();
    StoreConfig config = new StoreConfig(policy,
        weighted ? StoreConfig.UNSET : bound,
        weighted ? bound : StoreConfig.UNSET,
        weighted ? PolicyStoreProperties::weightOf : null,
        StoreConfig.UNSET, StoreConfig.UNSET, null, () -> 0L,
        (k, v, c) -> notified.add(new ReferenceModel.Removal(k, v, c)));
    PolicyStore store = new PolicyStore(config);
    ReferenceModel model = new ReferenceModel(policy,
        weighted ? StoreConfig.UNSET : bound, weighted ? bound : StoreConfig.UNSET,
        weighted ? PolicyStoreProperties::weightOf : null);

    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      String where = "op #" + i + " " + op + " in " + ops.subList(0, i + 1);
      notified.clear();
      switch (op.kind()) {
        case GET -> assertThat(store.get(op.key())).as(where).isEqualTo(model.get(op.key()));
        case PEEK -> assertThat(store.peek(op.key())).as(where)
            .isEqualTo(model.snapshot().get(op.key()));
        case PUT -> {
          List<ReferenceModel.Removal> expected = model.put(op.key(), op.value());
          store.put(op.key(), op.value());
          assertThat(notified).as(where).containsExactlyElementsOf(expected);
        }
        case REMOVE -> {
          Object expected = model.remove(op.key());
          assertThat(store.remove(op.key())).as(where).isEqualTo(expected);
          assertThat(notified).as(where).containsExactlyElementsOf(expected == null ? List.of()
              : List.of(new ReferenceModel.Removal(op.key(), expected, RemovalCause.EXPLICIT)));
        }
        case CLEAR -> {
          List<ReferenceModel.Removal> expected = new ArrayList<>();
          model.snapshot().forEach((k, v) ->
              expected.add(new ReferenceModel.Removal(k, v, RemovalCause.EXPLICIT)));
          model.clear();
          store.clear();
          assertThat(notified).as(where).containsExactlyInAnyOrderElementsOf(expected);
        }
      }
      assertThat(keysOf(store)).as(where).isEqualTo(model.keys());
      assertThat(store.size()).as(where).isEqualTo(model.size());
      assertThat(store.weightedSize()).as(where).isEqualTo(model.weightedSize());
    }
    store.cleanUp();
    assertThat(keysOf(store)).isEqualTo(model.keys());
    model.snapshot().forEach((k, v) -> assertThat(store.peek(k)).isEqualTo(v));
  }

  /** The key set, read through peek so that observing it does not change the policy state. */
  static TreeSet<Object> keysOf(MemoryStore store) {
    TreeSet<Object> keys = new TreeSet<>(Comparator.comparing(o -> (Integer) o));
    for (int k = 0; k < KEYS; k++) {
      if (store.peek(k) != null) {
        keys.add(k);
      }
    }
    return keys;
  }
}
