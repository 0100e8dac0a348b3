package dev.cachet.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Primitive arrays as keys, typed and untyped: equal contents are one key (same equals, hash and
 * digest), any different element is another key, the caller's array is copied (changing it
 * later does not change the key), {@code -0.0} and {@code 0.0} are one key, and typed keys keep
 * the element type while untyped keys compare numbers by value. PIT found the typed paths of
 * {@code ArrayKey.ofPrimitive} untested (docs/TESTING.md).
 */
class PrimitiveArrayKeysTest {

  private static void assertOneKey(Object a, Object b, boolean typed) {
    Object ka = KeySnapshot.of(a, typed);
    Object kb = KeySnapshot.of(b, typed);
    assertThat(ka).isEqualTo(kb).hasSameHashCodeAs(kb);
    assertThat(KeyDigest.sha256Hex(a, typed)).isEqualTo(KeyDigest.sha256Hex(b, typed));
  }

  private static void assertTwoKeys(Object a, Object b, boolean typed) {
    assertThat(KeySnapshot.of(a, typed)).isNotEqualTo(KeySnapshot.of(b, typed));
    assertThat(KeyDigest.sha256Hex(a, typed)).isNotEqualTo(KeyDigest.sha256Hex(b, typed));
  }

  @Test
  void equalContentsAreOneKeyAndAnyDifferentElementAnotherInBothModes() {
    List<Object[]> sameAndDifferent = List.of(
        new Object[] {new boolean[] {true, false}, new boolean[] {true, false},
            new boolean[] {true, true}},
        new Object[] {new char[] {'a', 'b'}, new char[] {'a', 'b'}, new char[] {'a', 'c'}},
        new Object[] {new byte[] {1, -2}, new byte[] {1, -2}, new byte[] {1, 2}},
        new Object[] {new short[] {300, 7}, new short[] {300, 7}, new short[] {300, 8}},
        new Object[] {new int[] {1, 2, 3}, new int[] {1, 2, 3}, new int[] {1, 2, 4}},
        new Object[] {new long[] {1L << 40}, new long[] {1L << 40}, new long[] {1L << 41}},
        new Object[] {new float[] {1.5f, 2f}, new float[] {1.5f, 2f}, new float[] {1.5f, 2.5f}},
        new Object[] {new double[] {0.1, 2}, new double[] {0.1, 2}, new double[] {0.1, 3}});
    for (boolean typed : new boolean[] {true, false}) {
      for (Object[] c : sameAndDifferent) {
        assertOneKey(c[0], c[1], typed);
        assertTwoKeys(c[0], c[2], typed);
        assertTwoKeys(c[0], new int[0], typed);
      }
    }
  }

  @Test
  void theCallersArrayIsCopied() {
    List<Function<Boolean, Object>> checks = List.of(
        typed -> {
          int[] a = {1, 2};
          Object key = KeySnapshot.of(a, typed);
          a[0] = 9;
          return key.equals(KeySnapshot.of(new int[] {1, 2}, typed));
        },
        typed -> {
          byte[] a = {1, 2};
          Object key = KeySnapshot.of(a, typed);
          a[0] = 9;
          return key.equals(KeySnapshot.of(new byte[] {1, 2}, typed));
        },
        typed -> {
          short[] a = {1, 2};
          Object key = KeySnapshot.of(a, typed);
          a[0] = 9;
          return key.equals(KeySnapshot.of(new short[] {1, 2}, typed));
        },
        typed -> {
          float[] a = {1, 2};
          Object key = KeySnapshot.of(a, typed);
          a[0] = 9;
          return key.equals(KeySnapshot.of(new float[] {1, 2}, typed));
        },
        typed -> {
          double[] a = {1, 2};
          Object key = KeySnapshot.of(a, typed);
          a[0] = 9;
          return key.equals(KeySnapshot.of(new double[] {1, 2}, typed));
        },
        typed -> {
          char[] a = {'x'};
          Object key = KeySnapshot.of(a, typed);
          a[0] = 'y';
          return key.equals(KeySnapshot.of(new char[] {'x'}, typed));
        },
        typed -> {
          long[] a = {1};
          Object key = KeySnapshot.of(a, typed);
          a[0] = 2;
          return key.equals(KeySnapshot.of(new long[] {1}, typed));
        },
        typed -> {
          boolean[] a = {true};
          Object key = KeySnapshot.of(a, typed);
          a[0] = false;
          return key.equals(KeySnapshot.of(new boolean[] {true}, typed));
        });
    for (boolean typed : new boolean[] {true, false}) {
      for (Function<Boolean, Object> check : checks) {
        assertThat(check.apply(typed)).as("typed=%s", typed).isEqualTo(true);
      }
    }
  }

  @Test
  void negativeZeroIsZeroAndNaNIsItselfInFloatingArrays() {
    for (boolean typed : new boolean[] {true, false}) {
      assertOneKey(new double[] {-0.0}, new double[] {0.0}, typed);
      assertOneKey(new float[] {-0.0f}, new float[] {0.0f}, typed);
      assertOneKey(new double[] {Double.NaN}, new double[] {Double.NaN}, typed);
      assertOneKey(new float[] {Float.NaN}, new float[] {Float.NaN}, typed);
    }
  }

  @Test
  void typedKeysKeepTheElementTypeAndUntypedKeysCompareValues() {
    assertTwoKeys(new int[] {1, 2}, new long[] {1, 2}, true);
    assertTwoKeys(new byte[] {1}, new short[] {1}, true);
    assertTwoKeys(new float[] {1.5f}, new double[] {1.5}, true);
    assertOneKey(new int[] {1, 2}, new long[] {1, 2}, false);
    assertOneKey(new byte[] {1}, new short[] {1}, false);
    assertOneKey(new float[] {1.5f}, new double[] {1.5}, false);
    assertOneKey(new double[] {2.0}, new long[] {2}, false);
  }
}
