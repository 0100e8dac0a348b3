package dev.cachet.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Keys are equal exactly when their values are, also where the quick checks cannot decide: two
 * different values whose hash codes collide, a primitive array against the same values boxed, a
 * typed snapshot handed back in untyped. And equal keys hash alike, so a hash map finds them.
 */
class KeyEqualityEdgesTest {

  private static Object typed(Object v) {
    return KeySnapshot.of(v, true);
  }

  private static Object untyped(Object v) {
    return KeySnapshot.of(v, false);
  }

  private static void assertSameKey(Object a, Object b) {
    assertThat(a).isEqualTo(b);
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
  }

  @Test
  void arraysWithCollidingHashesAreStillDifferentKeys() {
    // [x, y] hashes as 31 * (31 * seed + x) + y: [0, 31] and [1, 0] collide for every storage.
    assertCollideButDiffer(typed(new char[] {0, 31}), typed(new char[] {1, 0}));
    assertCollideButDiffer(typed(new byte[] {0, 31}), typed(new byte[] {1, 0}));
    assertCollideButDiffer(typed(new short[] {0, 31}), typed(new short[] {1, 0}));
    assertCollideButDiffer(typed(new int[] {0, 31}), typed(new int[] {1, 0}));
    assertCollideButDiffer(typed(new long[] {0, 31}), typed(new long[] {1, 0}));
    assertCollideButDiffer(untyped(new int[] {0, 31}), untyped(new int[] {1, 0}));
    assertCollideButDiffer(
        typed(new float[] {0f, Float.intBitsToFloat(31)}),
        typed(new float[] {Float.intBitsToFloat(1), 0f}));
    assertCollideButDiffer(
        typed(new double[] {0d, Double.longBitsToDouble(31)}),
        typed(new double[] {Double.longBitsToDouble(1), 0d}));
    // "Aa" and "BB" have the same String.hashCode.
    assertCollideButDiffer(typed(new String[] {"Aa"}), typed(new String[] {"BB"}));
    // Boolean.hashCode is 1231 or 1237: 31 * 6 = 186 = 31 * 1237 - 31 * 1231 needs 31 of them;
    // booleans differ by their hash alone, checked through the boxed form below.
  }

  private static void assertCollideButDiffer(Object a, Object b) {
    assertThat(a.hashCode()).as("the hashes collide").isEqualTo(b.hashCode());
    assertThat(a).isNotEqualTo(b);
    assertThat(KeyDigest.sha256Hex(a)).isNotEqualTo(KeyDigest.sha256Hex(b));
  }

  @Test
  void primitiveArraysEqualAndHashLikeTheirBoxedForm() {
    assertSameKey(typed(new boolean[] {true, false}), typed(new Boolean[] {true, false}));
    assertSameKey(typed(new char[] {'a', 'b'}), typed(new Character[] {'a', 'b'}));
    assertSameKey(typed(new byte[] {1, -2}), typed(new Byte[] {1, -2}));
    assertSameKey(typed(new short[] {1, -2}), typed(new Short[] {1, -2}));
    assertSameKey(typed(new int[] {1, -2}), typed(new Integer[] {1, -2}));
    assertSameKey(typed(new long[] {1, -2}), typed(new Long[] {1L, -2L}));
    assertSameKey(typed(new float[] {1.5f, -2f}), typed(new Float[] {1.5f, -2f}));
    assertSameKey(typed(new double[] {1.5, -2}), typed(new Double[] {1.5, -2.0}));
    assertSameKey(untyped(new byte[] {1, -2}), untyped(new Long[] {1L, -2L}));
    assertSameKey(untyped(new float[] {1.5f}), untyped(new Double[] {1.5}));
    assertThat(typed(new boolean[] {true})).isNotEqualTo(typed(new boolean[] {false}));
  }

  @Test
  void typedArraysKeepTheirElementType() {
    List<Object> keys = List.of(typed(new byte[] {1}), typed(new short[] {1}),
        typed(new int[] {1}), typed(new long[] {1}), typed(new float[] {1}),
        typed(new double[] {1}), typed(new char[] {1}));
    assertThat(new HashSet<>(keys)).hasSize(keys.size());
    // -0.0 is 0.0 in typed float arrays too.
    assertSameKey(typed(new float[] {-0.0f}), typed(new float[] {0.0f}));
  }

  @Test
  void anArrayIsNeitherAListNorAnotherKindOfKey() {
    Object array = untyped(new Object[] {"a"});
    assertThat(array).isNotEqualTo(untyped(List.of("a"))).isNotEqualTo("a");
    assertThat(untyped(List.of("a"))).isNotEqualTo(array);
    assertThat(untyped(new int[] {1})).isNotEqualTo(untyped(List.of(1))).isNotEqualTo(1L);
  }

  record Point(int x, int y) {
  }

  @Test
  void aTypedSnapshotHandedBackUntypedEqualsTheUntypedSnapshot() {
    // KeySnapshot.of on a snapshot is idempotent, and re-applies the chosen number mode.
    List<Object> values = List.of(
        List.of(1, 2.0),
        Set.of(1, 2),
        Map.of(1, 2.5f, 3, 4L),
        new Point(1, 2),
        new Integer[] {1, 2},
        new int[] {1, 2},
        Optional.of(1),
        List.of(Set.of(Map.of("k", new Point(3, 4)))));
    for (Object v : values) {
      Object typedKey = typed(v);
      Object back = untyped(typedKey);
      assertSameKey(back, untyped(v));
      assertThat(KeyDigest.sha256Hex(back)).isEqualTo(KeyDigest.sha256Hex(untyped(v)));
      // Nothing to change: the same snapshot comes back.
      assertThat(typed(typedKey)).isEqualTo(typedKey);
      assertThat(untyped(untyped(v))).isEqualTo(untyped(v));
    }
  }

  @Test
  void neighbouringKeysOfEachKindHashDifferently() {
    // Not required for correctness, but a constant hash would make every cache a linear scan.
    Object[][] pairs = {
        {untyped(List.of(1, 2)), untyped(List.of(2, 1))},
        {untyped(List.of(1, 2)),
            KeyMaker.of("f", List.of("a", "b"), false).keyOf(new Object[] {1, 2})},
        {untyped(Set.of(1)), untyped(Set.of(2))},
        {untyped(Map.of(1, 2)), untyped(Map.of(1, 3))},
        {untyped(new Point(1, 2)), untyped(new Point(2, 1))},
        {untyped(new int[] {1, 2}), untyped(new int[] {2, 1})},
        {untyped(new int[] {1}), untyped(new int[0])},
        {typed(new boolean[] {true}), typed(new boolean[] {false})},
        {typed(new byte[] {1}), typed(new byte[] {2})},
        {typed(new short[] {1}), typed(new short[] {2})},
        {typed(new float[] {1}), typed(new float[] {2})},
    };
    for (Object[] pair : pairs) {
      assertThat(pair[0].hashCode()).as("%s and %s", pair[0], pair[1])
          .isNotEqualTo(pair[1].hashCode());
    }
  }

  static final class Pojo {
    int a = 1;
    String b = "x";
  }

  @Test
  void keysOfDifferentKindsNeverMeet() {
    List<Object> keys = List.of(untyped(new Point(1, 2)), untyped(Map.of(1, 2)),
        untyped(Set.of(1, 2)), untyped(List.of(1, 2)), untyped(new int[] {1, 2}),
        KeySnapshot.NULL, untyped(new Pojo()));
    for (Object a : keys) {
      for (Object b : keys) {
        if (a != b) {
          assertThat(a).isNotEqualTo(b);
        }
      }
      assertThat(a).isNotEqualTo("1, 2");
    }
    assertThat(KeySnapshot.of(List.of(1))).isEqualTo(KeySnapshot.of(List.of(1), false));
  }

  @Test
  void cyclesAtDifferentDistancesAreDifferentKeys() {
    // a -> [a] and b -> [[b]]: the back reference goes up one level in the first, two in the
    // second.
    List<Object> a = new java.util.ArrayList<>();
    a.add(a);
    List<Object> b = new java.util.ArrayList<>();
    List<Object> inner = new java.util.ArrayList<>();
    inner.add(b);
    b.add(inner);
    List<Object> c = new java.util.ArrayList<>();
    c.add(List.of("x"));
    c.add(c);
    assertThat(untyped(List.of(a))).isNotEqualTo(untyped(List.of(b)));
    assertThat(untyped(a).hashCode()).isNotEqualTo(untyped(b).hashCode());
    assertThat(untyped(List.of(a, a))).isNotEqualTo(untyped(List.of(a, b)));
    // Same shape, [[^2]] against [[^1]]: the inner list points at the outer one, or at itself.
    List<Object> outer1 = new java.util.ArrayList<>();
    List<Object> inner1 = new java.util.ArrayList<>();
    outer1.add(inner1);
    inner1.add(outer1);
    List<Object> outer2 = new java.util.ArrayList<>();
    List<Object> inner2 = new java.util.ArrayList<>();
    outer2.add(inner2);
    inner2.add(inner2);
    assertThat(untyped(outer1)).isNotEqualTo(untyped(outer2));
    assertThat(KeyDigest.sha256Hex(untyped(outer1)))
        .isNotEqualTo(KeyDigest.sha256Hex(untyped(outer2)));
  }

  @Test
  void snapshotsPrintTheirValuesForDebugging() {
    assertThat(untyped(new Point(1, 2))).hasToString("Point[x=1, y=2]");
    assertThat(untyped(Map.of("k", 1))).hasToString("map{k=1}");
    assertThat(untyped(Set.of("s"))).hasToString("set[s]");
    assertThat(KeySnapshot.NULL).hasToString("null");
    assertThat(KeySnapshot.NULL.hashCode()).isEqualTo(KeySnapshot.of(null).hashCode());
  }

  @Test
  void twoByteValuesEncodeWhereverTheyFallInTheBuffer() {
    // Characters and typed shorts are written as two bytes; the encoding buffer grows as it
    // fills, so lists of every length up to a few buffer sizes put one across each boundary.
    Set<String> digests = new HashSet<>();
    for (int n = 0; n < 100; n++) {
      List<Object> chars = new java.util.ArrayList<>();
      List<Object> shorts = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        chars.add((char) ('a' + i % 26));
        shorts.add((short) i);
      }
      digests.add(KeyDigest.sha256Hex(chars, false));
      digests.add(KeyDigest.sha256Hex(shorts, true));
    }
    assertThat(digests).hasSize(199); // the two empty lists are one key
  }

  @Test
  void aHiddenClassHasNoStableNameToEncode() {
    Runnable lambda = () -> { };
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeySnapshot.of(lambda.getClass()))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining("hidden class");
    // The encoding refuses it too when handed the raw class.
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> CanonicalEncoding.encode(lambda.getClass()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hidden class");
    assertThat(KeyDigest.sha256Hex(String.class, false))
        .isEqualTo(KeyDigest.sha256Hex(String.class, true));
  }
}
