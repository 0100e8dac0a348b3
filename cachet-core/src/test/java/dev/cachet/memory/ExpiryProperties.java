package dev.cachet.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.EvictionPolicy;
import dev.cachet.stats.RemovalCause;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Expiry of {@link PolicyStore} against a model that computes every deadline from scratch:
 * random writes, reads and clock moves (from sub-millisecond steps to days, so every level of the
 * timer wheel is exercised). An expired entry must never be returned, and after
 * {@link MemoryStore#cleanUp()} exactly the live entries must be left.
 */
class ExpiryProperties {
  private static final int KEYS = 6;
  private static final long UNIT = 300_000; // 0.3 ms: below the wheel's finest bucket
  private static final long[] LIFETIMES = {0, UNIT, 2 * UNIT, 5 * UNIT, 50_000_000L,
      3_000_000_000L, 600_000_000_000L, 86_400_000_000_000L};
  private static final long[] STEPS = {0, UNIT, 2 * UNIT, 7 * UNIT, 40_000_000L,
      2_000_000_000L, 300_000_000_000L, 2 * 86_400_000_000_000L};

  enum Kind { GET, PEEK, PUT, REMOVE, ADVANCE, CLEANUP, CLEAR }

  record Op(Kind kind, int key, int arg) {
  }

  /** Per-entry lifetime from the value: none for multiples of 5, else one of LIFETIMES. */
  static long lifetimeOf(Object key, Object value) {
    int v = (Integer) value;
    return v % 5 == 0 ? StoreConfig.UNSET : LIFETIMES[v % LIFETIMES.length];
  }

  private static final class Entry {
    final int value;
    final long writeTime;
    long accessTime;
    final long ownLifetime;

    Entry(int value, long now, long ownLifetime) {
      this.value = value;
      this.writeTime = now;
      this.accessTime = now;
      this.ownLifetime = ownLifetime;
    }
  }

  @Property(tries = 1000)
  void expiredEntriesAreNeverReturnedAndAllAreReclaimed(
      @ForAll("policies") EvictionPolicy policy,
      @ForAll("lifetimes") long expireAfterWrite,
      @ForAll("lifetimes") long expireAfterAccess,
      @ForAll boolean perEntry,
      @ForAll("ops") List<Op> ops) {
    ManualTicker ticker = new ManualTicker();
    ticker.advanceNanos(-5_000_000_000L); // a negative origin, like System.nanoTime can have
    Map<RemovalCause, Integer> notified = new HashMap<>();
    MemoryStore store = new PolicyStore(new StoreConfig(policy, StoreConfig.UNSET,
        StoreConfig.UNSET, null, expireAfterWrite, expireAfterAccess,
        perEntry ? ExpiryProperties::lifetimeOf : null, ticker,
        (k, v, c) -> notified.merge(c, 1, Integer::sum)));

    Map<Integer, Entry> model = new HashMap<>();
    Map<RemovalCause, Integer> expected = new HashMap<>();
    int puts = 0;
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      String where = "op #" + i + " " + op + " in " + ops.subList(0, i + 1);
      long now = ticker.read();
      Entry e = model.get(op.key());
      boolean live = e != null && !expired(e, now, expireAfterWrite, expireAfterAccess);
      switch (op.kind()) {
        case GET -> {
          assertThat(store.get(op.key())).as(where).isEqualTo(live ? e.value : null);
          if (live) {
            e.accessTime = now;
          } else if (e != null) {
            model.remove(op.key());
            expected.merge(RemovalCause.EXPIRED, 1, Integer::sum);
          }
        }
        case PEEK -> assertThat(store.peek(op.key())).as(where).isEqualTo(live ? e.value : null);
        case PUT -> {
          puts++;
          store.put(op.key(), op.arg());
          if (e != null) {
            expected.merge(live ? RemovalCause.REPLACED : RemovalCause.EXPIRED, 1, Integer::sum);
          }
          model.put(op.key(), new Entry(op.arg(), now,
              perEntry ? lifetimeOf(op.key(), op.arg()) : StoreConfig.UNSET));
        }
        case REMOVE -> {
          assertThat(store.remove(op.key())).as(where).isEqualTo(live ? e.value : null);
          if (e != null) {
            model.remove(op.key());
            expected.merge(live ? RemovalCause.EXPLICIT : RemovalCause.EXPIRED, 1, Integer::sum);
          }
        }
        case ADVANCE -> ticker.advanceNanos(STEPS[op.arg()]);
        case CLEANUP -> {
          store.cleanUp();
          dropExpired(model, now, expireAfterWrite, expireAfterAccess, expected);
          assertThat(store.size()).as(where).isEqualTo(model.size());
        }
        case CLEAR -> {
          dropExpired(model, now, expireAfterWrite, expireAfterAccess, expected);
          expected.merge(RemovalCause.EXPLICIT, model.size(), Integer::sum);
          model.clear();
          store.clear();
        }
      }
      long after = ticker.read();
      for (int k = 0; k < KEYS; k++) {
        Entry m = model.get(k);
        Object value = m == null || expired(m, after, expireAfterWrite, expireAfterAccess)
            ? null : m.value;
        assertThat(store.peek(k)).as(where + ", key " + k).isEqualTo(value);
      }
    }
    store.cleanUp();
    dropExpired(model, ticker.read(), expireAfterWrite, expireAfterAccess, expected);
    assertThat(store.size()).isEqualTo(model.size());
    expected.values().removeIf(n -> n == 0);
    assertThat(notified).isEqualTo(expected);
    assertThat(puts - notified.values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(store.size());
  }

  private static boolean expired(Entry e, long now, long afterWrite, long afterAccess) {
    return (afterWrite != StoreConfig.UNSET && now - e.writeTime >= afterWrite)
        || (afterAccess != StoreConfig.UNSET && now - e.accessTime >= afterAccess)
        || (e.ownLifetime != StoreConfig.UNSET && now - e.writeTime >= e.ownLifetime);
  }

  private static void dropExpired(Map<Integer, Entry> model, long now, long afterWrite,
      long afterAccess, Map<RemovalCause, Integer> expected) {
    var it = model.values().iterator();
    while (it.hasNext()) {
      if (expired(it.next(), now, afterWrite, afterAccess)) {
        it.remove();
        expected.merge(RemovalCause.EXPIRED, 1, Integer::sum);
      }
    }
  }

  @Provide
  Arbitrary<EvictionPolicy> policies() {
    return Arbitraries.of(EvictionPolicy.LRU, EvictionPolicy.LFU, EvictionPolicy.FIFO);
  }

  @Provide
  Arbitrary<Long> lifetimes() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(StoreConfig.UNSET)),
        Tuple.of(1, Arbitraries.of(UNIT, 3 * UNIT, 10 * UNIT, 30_000_000L, 5_000_000_000L,
            3_600_000_000_000L)));
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Integer> keys = Arbitraries.integers().between(0, KEYS - 1);
    List<Tuple.Tuple2<Integer, Arbitrary<Op>>> choices = new ArrayList<>();
    choices.add(Tuple.of(4, keys.map(k -> new Op(Kind.GET, k, 0))));
    choices.add(Tuple.of(1, keys.map(k -> new Op(Kind.PEEK, k, 0))));
    choices.add(Tuple.of(4, Combinators.combine(keys, Arbitraries.integers().between(0, 39))
        .as((k, v) -> new Op(Kind.PUT, k, v))));
    choices.add(Tuple.of(1, keys.map(k -> new Op(Kind.REMOVE, k, 0))));
    choices.add(Tuple.of(4, Arbitraries.integers().between(0, STEPS.length - 1)
        .map(s -> new Op(Kind.ADVANCE, 0, s))));
    choices.add(Tuple.of(1, Arbitraries.just(new Op(Kind.CLEANUP, 0, 0))));
    choices.add(Tuple.of(1, Arbitraries.just(new Op(Kind.CLEAR, 0, 0))));
    @SuppressWarnings({"unchecked", "rawtypes"})
    Arbitrary<Op> op = Arbitraries.frequencyOf(choices.toArray(new Tuple.Tuple2[0]));
    return op.list().ofMaxSize(60);
  }
}
