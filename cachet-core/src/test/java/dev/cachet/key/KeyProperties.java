package dev.cachet.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties over generated argument trees: equal values give equal keys and digests whatever
 * their implementation classes and insertion orders; keys survive mutation of the originals;
 * snapshot equality and digest equality agree; typed/untyped number handling.
 */
class KeyProperties {

  /** A record to mix into generated trees. */
  record Pair(Object left, Object right) {
  }

  // ---- generators ----

  /** Leaves from a small domain, so that generated pairs collide often. */
  private static Arbitrary<Object> smallLeaves() {
    return Arbitraries.<Object>of(0, 1, 1L, 2, 1.0, 1.0f, 0.5, -0.0, Double.NaN,
        new BigDecimal("1.00"), BigInteger.ONE, "a", "b", "", 'a', true, false)
        .injectNull(0.05);
  }

  /** Leaves from a wide domain. */
  private static Arbitrary<Object> wideLeaves() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(6).map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.bigDecimals().ofScale(3).map(d -> (Object) d),
        Arbitraries.of(true, false, 'x', Double.NaN, -0.0).map(o -> (Object) o),
        Arbitraries.just(null));
  }

  /** Mutable trees of lists, sets, maps, arrays and records over the given leaves. */
  private static Arbitrary<Object> trees(Arbitrary<Object> leaves, int depth) {
    if (depth == 0) {
      return leaves;
    }
    Arbitrary<Object> sub = Arbitraries.lazy(() -> trees(leaves, depth - 1));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, leaves),
        net.jqwik.api.Tuple.of(2, sub.list().ofMaxSize(3).map(l -> (Object) new ArrayList<>(l))),
        net.jqwik.api.Tuple.of(1, sub.list().ofMaxSize(3).map(l -> (Object) new HashSet<>(l))),
        net.jqwik.api.Tuple.of(1, Combinators.combine(sub.list().ofMaxSize(3),
            sub.list().ofMaxSize(3)).as(KeyProperties::mapOf)),
        net.jqwik.api.Tuple.of(1, sub.list().ofMaxSize(3).map(l -> (Object) l.toArray())),
        net.jqwik.api.Tuple.of(1, Combinators.combine(sub, sub).as(Pair::new)));
  }

  private static Object mapOf(List<Object> keys, List<Object> values) {
    // Keys equal as untyped keys (1 and 1L) with different values have no single key (that is
    // a KeyException, tested elsewhere): keep one of them.
    Map<Object, Object> m = new HashMap<>();
    Set<Object> seen = new HashSet<>();
    for (int i = 0; i < Math.min(keys.size(), values.size()); i++) {
      if (seen.add(KeySnapshot.of(keys.get(i), false))) {
        m.put(keys.get(i), values.get(i));
      }
    }
    return m;
  }

  @Provide
  Arbitrary<Object> wide() {
    return trees(wideLeaves(), 3);
  }

  @Provide
  Arbitrary<Object> small() {
    return trees(smallLeaves(), 2);
  }

  // ---- helpers ----

  /**
   * A deep copy built from other implementation classes, with shuffled insertion order. When
   * {@code looseNumbers}, numbers are also replaced by other types of the same value.
   */
  static Object copy(Object v, Random r, boolean looseNumbers) {
    if (v instanceof List) {
      List<Object> out = r.nextBoolean() ? new LinkedList<>() : new ArrayList<>();
      for (Object e : (List<?>) v) {
        out.add(copy(e, r, looseNumbers));
      }
      return out;
    }
    if (v instanceof Set) {
      List<Object> elements = new ArrayList<>((Set<?>) v);
      Collections.shuffle(elements, r);
      Set<Object> out = r.nextBoolean() ? new LinkedHashSet<>() : new HashSet<>();
      for (Object e : elements) {
        out.add(copy(e, r, looseNumbers));
      }
      return out;
    }
    if (v instanceof Map) {
      List<Map.Entry<?, ?>> entries = new ArrayList<>(((Map<?, ?>) v).entrySet());
      Collections.shuffle(entries, r);
      Map<Object, Object> out = r.nextBoolean() ? new LinkedHashMap<>() : new HashMap<>();
      for (Map.Entry<?, ?> e : entries) {
        out.put(copy(e.getKey(), r, looseNumbers), copy(e.getValue(), r, looseNumbers));
      }
      return out;
    }
    if (v instanceof Object[]) {
      Object[] a = (Object[]) v;
      Object[] out = new Object[a.length];
      for (int i = 0; i < a.length; i++) {
        out[i] = copy(a[i], r, looseNumbers);
      }
      return out;
    }
    if (v instanceof Pair) {
      Pair p = (Pair) v;
      return new Pair(copy(p.left(), r, looseNumbers), copy(p.right(), r, looseNumbers));
    }
    if (looseNumbers && (v instanceof Integer || v instanceof Long)) {
      long n = ((Number) v).longValue();
      switch (r.nextInt(4)) {
        case 0:
          return BigInteger.valueOf(n);
        case 1:
          return new BigDecimal(n).setScale(2);
        case 2:
          return Math.abs(n) < (1L << 53) ? (Object) (double) n : (Object) n;
        default:
          return n == (int) n ? (Object) (int) n : (Object) n;
      }
    }
    if (v instanceof String) {
      return new String((String) v); // a different instance of an equal string
    }
    return v;
  }

  /** Mutates every mutable container in the tree (after its key was taken). */
  @SuppressWarnings("unchecked")
  static void mutate(Object v) {
    if (v instanceof List) {
      List<Object> l = (List<Object>) v;
      for (Object e : new ArrayList<>(l)) {
        mutate(e);
      }
      l.add("mutated");
    } else if (v instanceof Set) {
      Set<Object> s = (Set<Object>) v;
      s.add("mutated");
    } else if (v instanceof Map) {
      Map<Object, Object> m = (Map<Object, Object>) v;
      for (Object e : new ArrayList<>(m.values())) {
        mutate(e);
      }
      m.put("mutated", "mutated");
    } else if (v instanceof Object[]) {
      Object[] a = (Object[]) v;
      for (int i = 0; i < a.length; i++) {
        mutate(a[i]);
        a[i] = "mutated";
      }
    } else if (v instanceof Pair) {
      mutate(((Pair) v).left());
      mutate(((Pair) v).right());
    }
  }

  private static void assertSameKey(Object a, Object b, boolean typed) {
    Object ka = KeySnapshot.of(a, typed);
    Object kb = KeySnapshot.of(b, typed);
    assertThat(ka).isEqualTo(kb);
    assertThat(ka.hashCode()).isEqualTo(kb.hashCode());
    assertThat(KeyDigest.sha256(ka)).isEqualTo(KeyDigest.sha256(kb));
  }

  // ---- properties ----

  @Property(tries = 400)
  void equalValuesFromOtherImplementationsGiveEqualKeys(
      @ForAll("wide") Object value, @ForAll long seed, @ForAll boolean typed) {
    assertSameKey(value, copy(value, new Random(seed), false), typed);
  }

  @Property(tries = 200)
  void hashMapAndTreeMapWithSameEntriesGiveEqualKeys(
      @ForAll Map<String, Integer> entries, @ForAll boolean typed) {
    assertSameKey(new HashMap<>(entries), new TreeMap<>(entries), typed);
  }

  @Property(tries = 200)
  void shuffledSetInsertionGivesEqualKeys(@ForAll List<Integer> elements, @ForAll long seed) {
    List<Integer> shuffled = new ArrayList<>(elements);
    Collections.shuffle(shuffled, new Random(seed));
    assertSameKey(new LinkedHashSet<>(elements), new LinkedHashSet<>(shuffled), false);
    assertSameKey(elements, new LinkedList<>(elements), true);
  }

  @Property(tries = 300)
  void keysAreStableAfterTheOriginalIsMutated(
      @ForAll("wide") Object value, @ForAll boolean typed) {
    List<Object> argument = new ArrayList<>(Arrays.asList(value, "tail"));
    Object pristine = copy(argument, new Random(1), false);
    Object key = KeySnapshot.of(argument, typed);
    byte[] digest = KeyDigest.sha256(key);
    int hash = key.hashCode();

    mutate(argument);

    assertThat(key.hashCode()).isEqualTo(hash);
    assertThat(KeyDigest.sha256(key)).isEqualTo(digest);
    assertThat(key).isEqualTo(KeySnapshot.of(pristine, typed));
  }

  @Property(tries = 1000)
  void snapshotEqualityAgreesWithDigestEquality(
      @ForAll("small") Object x, @ForAll("small") Object y, @ForAll boolean typed) {
    Object kx = KeySnapshot.of(x, typed);
    Object ky = KeySnapshot.of(y, typed);
    boolean sameDigest = Arrays.equals(KeyDigest.sha256(kx), KeyDigest.sha256(ky));
    assertThat(sameDigest).as("%s vs %s", kx, ky).isEqualTo(kx.equals(ky));
    if (kx.equals(ky)) {
      assertThat(kx.hashCode()).isEqualTo(ky.hashCode());
    }
  }

  @Property(tries = 300)
  void untypedMergesNumericTypesTypedSeparatesThem(
      @ForAll("small") Object value, @ForAll long seed) {
    Object loose = copy(value, new Random(seed), true);
    assertSameKey(value, loose, false);
    // Typed: equal keys exactly when every number kept its Java type.
    assertThat(KeySnapshot.of(value, true).equals(KeySnapshot.of(loose, true)))
        .isEqualTo(!containsChangedNumber(value, loose));
  }

  @Property(tries = 500)
  void everyRepresentationOfAnIntegerIsOneUntypedKey(@ForAll long n) {
    Object key = KeySnapshot.of(n, false);
    assertThat(KeySnapshot.of(BigInteger.valueOf(n), false)).isEqualTo(key);
    assertThat(KeySnapshot.of(new BigDecimal(n).setScale(3), false)).isEqualTo(key);
    if (n == (int) n) {
      assertThat(KeySnapshot.of((int) n, false)).isEqualTo(key);
      assertThat(KeySnapshot.of((int) n, true)).isNotEqualTo(KeySnapshot.of(n, true));
    }
    // (double) n == n is no test: the comparison itself rounds n (Long.MAX_VALUE "equals" 2^63).
    if (new BigDecimal((double) n).equals(new BigDecimal(n))) {
      assertThat(KeySnapshot.of((double) n, false)).isEqualTo(key);
      assertThat(KeySnapshot.of((double) n, true)).isNotEqualTo(KeySnapshot.of(n, true));
    }
  }

  @Property(tries = 500)
  void doublesCompareByExactValueUntyped(@ForAll double d) {
    if (Double.isFinite(d)) {
      assertThat(KeySnapshot.of(d, false)).isEqualTo(KeySnapshot.of(new BigDecimal(d), false));
      assertThat(KeyDigest.sha256Hex(d, false)).isEqualTo(
          KeyDigest.sha256Hex(new BigDecimal(d).setScale(Math.max(0, new BigDecimal(d).scale())
              + 2), false));
    }
    assertThat(KeySnapshot.of(d, true)).isEqualTo(KeySnapshot.of(d + 0.0, true));
  }

  /** Whether some number in {@code b} has another Java type than its counterpart in a. */
  private static boolean containsChangedNumber(Object a, Object b) {
    if (a instanceof Number) {
      return a.getClass() != b.getClass();
    }
    if (a instanceof List) {
      List<?> la = (List<?>) a;
      List<?> lb = (List<?>) b;
      for (int i = 0; i < la.size(); i++) {
        if (containsChangedNumber(la.get(i), lb.get(i))) {
          return true;
        }
      }
      return false;
    }
    if (a instanceof Object[]) {
      return containsChangedNumber(Arrays.asList((Object[]) a), Arrays.asList((Object[]) b));
    }
    if (a instanceof Pair) {
      return containsChangedNumber(((Pair) a).left(), ((Pair) b).left())
          || containsChangedNumber(((Pair) a).right(), ((Pair) b).right());
    }
    // Sets and maps have no positional counterparts: fall back to comparing typed keys.
    if (a instanceof Set || a instanceof Map) {
      return !KeySnapshot.of(a, true).equals(KeySnapshot.of(b, true));
    }
    return false;
  }
}
