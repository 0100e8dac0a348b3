package dev.cachet.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Semantics of in-memory keys: what compares equal, what stays apart, what is stable. */
class KeySnapshotTest {

  record Point(int x, int y) {
  }

  record OtherPoint(int x, int y) {
  }

  record Box(List<Object> items) {
  }

  /** A POJO whose equals is identity: keys must still be structural. */
  static class Node {
    String name;
    Node parent;
    List<Node> children = new ArrayList<>();
    transient int visits;

    Node(String name) {
      this.name = name;
    }
  }

  static class Animal {
    String name;

    Animal(String name) {
      this.name = name;
    }
  }

  static class Dog extends Animal {
    int age;
    // Same name as the superclass field: both are kept, in separate groups.
    String name;

    Dog(String animalName, String dogName, int age) {
      super(animalName);
      this.name = dogName;
      this.age = age;
    }
  }

  enum Planet {
    MERCURY, VENUS {
      @Override
      public String toString() {
        return "venus";
      }
    }
  }

  static Object untyped(Object v) {
    return KeySnapshot.of(v, false);
  }

  static Object typed(Object v) {
    return KeySnapshot.of(v, true);
  }

  static String digest(Object v, boolean typed) {
    return KeyDigest.sha256Hex(v, typed);
  }

  @Nested
  class Shapes {
    private final KeyMaker maker = KeyMaker.of("f", List.of("a", "b", "c"), false);

    @Test
    void aStringArgumentIsItsOwnKey() {
      String s = new String("query");
      assertThat(maker.keyOf(s)).isSameAs(s);
      assertThat(maker.keyOf(new Object[] {s})).isSameAs(s);
      assertThat(KeySnapshot.of(s, true)).isSameAs(s);
    }

    @Test
    void nullBecomesANonNullSentinel() {
      assertThat(maker.keyOf((Object) null)).isSameAs(KeySnapshot.NULL).isNotNull();
      Map<Object, String> chm = new ConcurrentHashMap<>();
      chm.put(maker.keyOf(new Object[] {null, null}), "ok");
      assertThat(chm.get(maker.keyOf(new Object[] {null, null}))).isEqualTo("ok");
      assertThat(untyped(Arrays.asList(null, "x"))).isEqualTo(untyped(Arrays.asList(null, "x")));
    }

    @Test
    void noArgumentsIsOneConstant() {
      Object k = maker.keyOf(new Object[0]);
      assertThat(k).isSameAs(KeyMaker.of("g", List.of(), true).keyOf(new Object[0]));
      assertThat(k).isNotEqualTo(maker.keyOf(List.of()));
    }

    @Test
    void severalArgumentsAreNotAList() {
      Object args = maker.keyOf(new Object[] {"a", 1});
      assertThat(args).isEqualTo(maker.keyOf(new Object[] {"a", 1L}));
      assertThat(args.hashCode()).isEqualTo(maker.keyOf(new Object[] {"a", 1L}).hashCode());
      assertThat(args).isNotEqualTo(maker.keyOf(List.of("a", 1)));
      assertThat(maker.keyOf(new Object[] {"a", 1})).isNotEqualTo(
          maker.keyOf(new Object[] {1, "a"}));
    }

    @Test
    void oneArgumentInAnArrayIsTheSameAsAlone() {
      assertThat(maker.keyOf(new Object[] {List.of(1)})).isEqualTo(maker.keyOf(List.of(1)));
    }
  }

  @Nested
  class CollectionKeys {
    @Test
    void everyListImplementationIsOneKey() {
      Object k = untyped(List.of("a", "b"));
      assertThat(untyped(new ArrayList<>(List.of("a", "b")))).isEqualTo(k);
      assertThat(untyped(new LinkedList<>(List.of("a", "b")))).isEqualTo(k);
      assertThat(untyped(Arrays.asList("a", "b"))).isEqualTo(k);
      assertThat(untyped(Collections.unmodifiableList(new ArrayList<>(List.of("a", "b")))))
          .isEqualTo(k);
      assertThat(untyped(new CopyOnWriteArrayList<>(List.of("a", "b")))).isEqualTo(k)
          .hasSameHashCodeAs(k);
    }

    @Test
    void everySetImplementationIsOneKey() {
      Object k = untyped(Set.of("a", "b", "c"));
      assertThat(untyped(new TreeSet<>(Set.of("c", "b", "a")))).isEqualTo(k);
      assertThat(untyped(new LinkedHashSet<>(List.of("c", "a", "b")))).isEqualTo(k);
      assertThat(untyped(new HashSet<>(List.of("b", "c", "a")))).isEqualTo(k)
          .hasSameHashCodeAs(k);
      assertThat(untyped(EnumSet.of(TimeUnit.DAYS))).isEqualTo(untyped(Set.of(TimeUnit.DAYS)));
    }

    @Test
    void everyMapImplementationIsOneKey() {
      Map<String, Integer> a = new LinkedHashMap<>();
      a.put("x", 1);
      a.put("y", 2);
      Map<String, Integer> b = new LinkedHashMap<>();
      b.put("y", 2);
      b.put("x", 1);
      Object k = untyped(a);
      assertThat(untyped(b)).isEqualTo(k);
      assertThat(untyped(new TreeMap<>(a))).isEqualTo(k);
      assertThat(untyped(new ConcurrentHashMap<>(a))).isEqualTo(k);
      assertThat(untyped(Map.of("x", 1, "y", 2))).isEqualTo(k).hasSameHashCodeAs(k);
      assertThat(digest(b, false)).isEqualTo(digest(new HashMap<>(a), false));
    }

    @Test
    void sequenceKindsStayApart() {
      Object list = untyped(List.of(1, 2));
      assertThat(untyped(new int[] {1, 2})).isNotEqualTo(list);
      assertThat(untyped(new Integer[] {1, 2})).isNotEqualTo(list);
      assertThat(untyped(new LinkedHashSet<>(List.of(1, 2)))).isNotEqualTo(list);
      assertThat(untyped(Optional.of(1))).isNotEqualTo(untyped(List.of(1)));
      assertThat(digest(new int[] {1, 2}, false)).isNotEqualTo(digest(List.of(1, 2), false));
    }

    @Test
    void arraysCompareByElementsWhateverTheComponentType() {
      assertThat(untyped(new int[] {1, 2})).isEqualTo(untyped(new long[] {1, 2}))
          .isEqualTo(untyped(new Object[] {1, 2L}))
          .isEqualTo(untyped(new double[] {1.0, 2.0}))
          .hasSameHashCodeAs(untyped(new byte[] {1, 2}));
      assertThat(typed(new int[] {1, 2})).isEqualTo(typed(new Integer[] {1, 2}))
          .hasSameHashCodeAs(typed(new Integer[] {1, 2}))
          .isNotEqualTo(typed(new long[] {1, 2}));
      assertThat(typed(new double[] {-0.0, Double.NaN}))
          .isEqualTo(typed(new Double[] {0.0, Double.longBitsToDouble(0x7ff8000000000123L)}));
      assertThat(untyped(new char[] {'a'})).isEqualTo(untyped(new Character[] {'a'}))
          .isNotEqualTo(untyped("a"));
      assertThat(digest(new int[] {1, 2}, true)).isEqualTo(digest(new Integer[] {1, 2}, true));
    }

    @Test
    void setsMergeElementsThatAreEqualAsKeys() {
      Set<Object> s = new HashSet<>(List.of(1, 1L, 1.0));
      assertThat(untyped(s)).isEqualTo(untyped(Set.of(1)));
      assertThat(typed(s)).isNotEqualTo(typed(Set.of(1)));
    }

    @Test
    void mapsWhoseKeysCollideWithDifferentValuesAreRejected() {
      Map<Object, Object> m = new HashMap<>();
      m.put(1, "a");
      m.put(1L, "b");
      assertThatThrownBy(() -> untyped(m)).isInstanceOf(KeyException.class)
          .hasMessageContaining("map keys are equal as cache keys");
      assertThat(typed(m)).isNotNull();
      m.put(1L, "a");
      assertThat(untyped(m)).isEqualTo(untyped(Map.of(1, "a")));
    }

    @Test
    void otherCollectionsAreRejected() {
      assertThatThrownBy(() -> untyped(new java.util.ArrayDeque<>(List.of(1))))
          .isInstanceOf(KeyException.class).hasMessageContaining("neither a List nor a Set");
      assertThatThrownBy(() -> untyped(Map.of("a", 1).values()))
          .isInstanceOf(KeyException.class);
    }
  }

  @Nested
  class NumberKeys {
    @Test
    void untypedMergesNumericTypes() {
      Object one = untyped(1);
      for (Object n : List.of(1L, (short) 1, (byte) 1, 1.0, 1.0f, BigInteger.ONE,
          new BigDecimal("1.00"), new BigDecimal("0.1E1"))) {
        assertThat(untyped(n)).as("%s %s", n.getClass(), n).isEqualTo(one).hasSameHashCodeAs(one);
        assertThat(digest(n, false)).isEqualTo(digest(1, false));
      }
      assertThat(one).isEqualTo(1L);
      assertThat(untyped(0.5)).isEqualTo(untyped(0.5f)).isEqualTo(untyped(new BigDecimal("0.50")));
      assertThat(untyped(-0.0)).isEqualTo(untyped(0)).isEqualTo(untyped(0.0f));
      assertThat(untyped(Double.NaN)).isEqualTo(untyped(Float.NaN));
      assertThat(untyped(Double.POSITIVE_INFINITY)).isEqualTo(untyped(Float.POSITIVE_INFINITY))
          .isNotEqualTo(untyped(Double.NEGATIVE_INFINITY));
    }

    @Test
    void untypedComparesExactValues() {
      // 0.1 as a double is not one tenth: as in Python, 0.1 != Decimal("0.1").
      assertThat(untyped(0.1)).isNotEqualTo(untyped(new BigDecimal("0.1")))
          .isEqualTo(untyped(new BigDecimal(0.1)));
      assertThat(untyped(0.1f)).isNotEqualTo(untyped(0.1));
      BigInteger twoTo63 = BigInteger.ONE.shiftLeft(63);
      assertThat(untyped(0x1p63)).isEqualTo(untyped(twoTo63)).isNotEqualTo(untyped(Long.MAX_VALUE));
      assertThat(untyped(twoTo63.negate())).isEqualTo(untyped(Long.MIN_VALUE));
      assertThat(untyped(1e20)).isEqualTo(untyped(new BigDecimal("100000000000000000000.000")));
      assertThat(untyped(new BigDecimal("1E+999999999"))).isNotEqualTo(untyped(1));
    }

    @Test
    void booleansAndCharsAreNotNumbers() {
      assertThat(untyped(true)).isNotEqualTo(untyped(1));
      assertThat(untyped('a')).isNotEqualTo(untyped(97)).isNotEqualTo(untyped("a"));
    }

    @Test
    void typedKeepsJavaTypesApart() {
      assertThat(typed(1)).isNotEqualTo(typed(1L));
      assertThat(typed(1.0)).isNotEqualTo(typed(1.0f)).isNotEqualTo(typed(1L));
      assertThat(typed(BigInteger.ONE)).isNotEqualTo(typed(1L));
      assertThat(typed((short) 1)).isNotEqualTo(typed((byte) 1));
      assertThat(digest(1, true)).isNotEqualTo(digest(1L, true));
    }

    @Test
    void typedStillFoldsEqualRepresentations() {
      assertThat(typed(-0.0)).isEqualTo(typed(0.0));
      assertThat(typed(-0.0f)).isEqualTo(typed(0.0f));
      assertThat(typed(Double.longBitsToDouble(0x7ff8000000000001L))).isEqualTo(typed(Double.NaN));
      assertThat(typed(new BigDecimal("1.0"))).isEqualTo(typed(new BigDecimal("1.00")))
          .hasSameHashCodeAs(typed(new BigDecimal("1.00")));
      assertThat(typed(new BigDecimal("0.000"))).isEqualTo(typed(BigDecimal.ZERO));
      assertThat(digest(-0.0, true)).isEqualTo(digest(0.0, true));
      assertThat(digest(new BigDecimal("1.0"), true)).isEqualTo(digest(BigDecimal.ONE, true));
    }

    @Test
    void subclassesOfBigIntegerAreCopiedToThePlainClass() {
      BigInteger sub = new BigInteger("12") {
        private static final long serialVersionUID = 1L;
      };
      assertThat(typed(sub)).isEqualTo(BigInteger.valueOf(12)).isExactlyInstanceOf(BigInteger.class);
    }
  }

  @Nested
  class ValuesAndObjects {
    @Test
    void recordsByClassAndComponents() {
      assertThat(untyped(new Point(1, 2))).isEqualTo(untyped(new Point(1, 2)))
          .hasSameHashCodeAs(untyped(new Point(1, 2)))
          .isNotEqualTo(untyped(new Point(2, 1)))
          .isNotEqualTo(untyped(new OtherPoint(1, 2)));
      assertThat(digest(new Point(1, 2), false)).isNotEqualTo(digest(new OtherPoint(1, 2), false));
    }

    @Test
    void enumsAreThemselvesAndEncodeByName() {
      assertThat(untyped(Planet.VENUS)).isSameAs(Planet.VENUS);
      assertThat(CanonicalEncoding.encode(Planet.VENUS)).containsSubsequence(
          "VENUS".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(untyped(Planet.MERCURY)).isNotEqualTo(untyped(Planet.VENUS));
    }

    @Test
    void optionalsByContent() {
      List<Object> content = new ArrayList<>(List.of(1));
      Object k = untyped(Optional.of(content));
      content.add(2);
      assertThat(k).isEqualTo(untyped(Optional.of(List.of(1L))));
      assertThat(untyped(OptionalInt.of(3))).isEqualTo(untyped(Optional.of(3L)));
      assertThat(untyped(Optional.empty())).isEqualTo(untyped(OptionalInt.empty()));
    }

    @Test
    void pojosByFieldsIncludingSuperclassesNotByEquals() {
      Dog a = new Dog("animal", "rex", 3);
      Dog b = new Dog("animal", "rex", 3);
      assertThat(a).isNotEqualTo(b);
      assertThat(untyped(a)).isEqualTo(untyped(b)).hasSameHashCodeAs(untyped(b));
      assertThat(untyped(new Dog("other", "rex", 3))).isNotEqualTo(untyped(a));
      Node n = new Node("n");
      Object before = untyped(n);
      n.visits = 10; // transient: not part of the key
      assertThat(untyped(n)).isEqualTo(before);
    }

    @Test
    void classValuesAreLeaves() {
      assertThat(untyped(String.class)).isSameAs(String.class);
      Runnable r = () -> { };
      assertThatThrownBy(() -> untyped(r.getClass())).isInstanceOf(KeyException.class);
    }

    @Test
    void keyPartValueReplacesTheObject() {
      KeyPart p = () -> List.of("tenant", 7);
      assertThat(untyped(p)).isEqualTo(untyped(List.of("tenant", 7)));
      assertThat(untyped(List.of(p))).isEqualTo(untyped(List.of(List.of("tenant", 7L))));
    }
  }

  @Nested
  class Stability {
    @Test
    void mutatingArgumentsAfterTheCallDoesNotChangeTheKey() {
      List<Object> list = new ArrayList<>(List.of("a"));
      int[] array = {1, 2};
      Map<String, Object> map = new HashMap<>(Map.of("k", list));
      Node node = new Node("n");
      KeyMaker maker = KeyMaker.of("f", List.of("l", "a", "m", "n"), false);
      Object key = maker.keyOf(new Object[] {list, array, map, node});
      String digest = KeyDigest.sha256Hex(key);
      int hash = key.hashCode();

      list.add("b");
      array[0] = 99;
      map.put("other", 1);
      node.name = "changed";
      node.children.add(new Node("child"));

      assertThat(key.hashCode()).isEqualTo(hash);
      assertThat(KeyDigest.sha256Hex(key)).isEqualTo(digest);
      assertThat(key).isEqualTo(maker.keyOf(new Object[] {
          List.of("a"), new int[] {1, 2}, Map.of("k", List.of("a")), new Node("n")}));
    }

    @Test
    void snapshottingIsIdempotent() {
      Object k = untyped(List.of(Set.of(1, 2), Map.of("a", new int[] {1}), new Point(1, 2)));
      assertThat(KeySnapshot.of(k, false)).isSameAs(k);
      Object t = typed(List.of(1, 2));
      assertThat(KeySnapshot.of(t, false)).isEqualTo(untyped(List.of(1L, 2L)));
      assertThat(KeySnapshot.of(typed(new int[] {1}), false)).isEqualTo(untyped(new long[] {1}));
    }
  }

  @Nested
  class Cycles {
    static List<Object> selfList(String tag) {
      List<Object> l = new ArrayList<>();
      l.add(tag);
      l.add(l);
      return l;
    }

    @Test
    void aListContainingItselfHasAStableKey() {
      Object a = untyped(selfList("x"));
      Object b = untyped(selfList("x"));
      assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
      assertThat(a).isNotEqualTo(untyped(selfList("y")));
      assertThat(digest(selfList("x"), false)).isEqualTo(KeyDigest.sha256Hex(a));
      assertThat(a.toString()).isEqualTo("[x, ^1]");
    }

    @Test
    void backReferencesAreRelativeSoNestingDoesNotChangeThem() {
      Object alone = untyped(selfList("x"));
      Object nested = untyped(List.of(selfList("x")));
      assertThat(nested).isEqualTo(untyped(List.of(alone)));
    }

    @Test
    void pojoGraphWithBackPointers() {
      Node parent = new Node("p");
      Node child = new Node("c");
      child.parent = parent;
      parent.children.add(child);
      Object k = untyped(parent);

      Node parent2 = new Node("p");
      Node child2 = new Node("c");
      child2.parent = parent2;
      parent2.children.add(child2);
      assertThat(untyped(parent2)).isEqualTo(k);
      assertThat(digest(parent2, false)).isEqualTo(digest(parent, false));

      child2.name = "other";
      assertThat(untyped(parent2)).isNotEqualTo(k);
    }

    @Test
    void mutualCycleAndArrayCycle() {
      List<Object> a = new ArrayList<>();
      List<Object> b = new ArrayList<>();
      a.add(b);
      b.add(a);
      assertThat(untyped(a).toString()).isEqualTo("[[^2]]");
      Object[] arr = new Object[1];
      arr[0] = arr;
      assertThat(untyped(arr).toString()).isEqualTo("array[^1]");
    }

    @Test
    void sharedButAcyclicValuesAreNotBackReferences() {
      List<Object> shared = List.of("s");
      assertThat(untyped(List.of(shared, shared))).isEqualTo(
          untyped(List.of(List.of("s"), List.of("s"))));
    }
  }

  @Nested
  class Limits {
    @Test
    void depthIsBounded() {
      Object v = "leaf";
      for (int i = 0; i < KeySnapshot.MAX_DEPTH; i++) {
        v = List.of(v);
      }
      assertThat(untyped(v)).isNotNull(); // exactly MAX_DEPTH levels below the argument
      Object tooDeep = List.of(v);
      assertThatThrownBy(() -> KeyMaker.of("deep", List.of("v"), false).keyOf(tooDeep))
          .isInstanceOf(KeyException.class)
          .hasMessageContaining("parameter 'v' of deep")
          .hasMessageContaining("deeper than 256 levels");
    }

    @Test
    void nodeCountIsBounded() {
      Object[] many = new Object[KeySnapshot.MAX_NODES];
      Arrays.fill(many, "x");
      assertThatThrownBy(() -> untyped(many)).isInstanceOf(KeyException.class)
          .hasMessageContaining("more than 1000000 values");
    }
  }
}
