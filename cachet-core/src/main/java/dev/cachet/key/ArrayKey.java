package dev.cachet.key;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * The key of a Java array, primitive or not. Primitive arrays keep a private primitive copy
 * instead of one boxed object per element, so a large {@code byte[]} argument stays cheap.
 *
 * <p>Equality is element by element whatever the storage: an {@code int[]} and an
 * {@code Integer[]} with the same values are one key, and with {@code typed=false} so are an
 * {@code int[]} and a {@code long[]} (elements are normalized like any other number). An array
 * never equals a list.
 */
final class ArrayKey {
  // How the elements are stored; each constant names the array class held in `data`.
  static final int OBJECT = 0;
  static final int BOOLEAN = 1;
  static final int CHAR = 2;
  static final int BYTE = 3;
  static final int SHORT = 4;
  static final int INT = 5;
  static final int LONG = 6;
  static final int FLOAT = 7;
  static final int DOUBLE = 8;

  private final int storage;
  // A private copy, never exposed or written after construction.
  private final Object data;
  private final int length;
  private final int hash;

  private ArrayKey(int storage, Object data, int length) {
    this.storage = storage;
    this.data = data;
    this.length = length;
    int h = 0xA77A;
    for (int i = 0; i < length; i++) {
      h = 31 * h + elementHash(i);
    }
    this.hash = h;
  }

  /** The key of an array of snapshots (the caller hands over ownership of {@code elements}). */
  static ArrayKey ofSnapshots(Object[] elements) {
    return new ArrayKey(OBJECT, elements, elements.length);
  }

  /**
   * The key of a primitive array: copies it, normalizing values so that equality and encoding
   * follow the same rules as boxed numbers.
   */
  static ArrayKey ofPrimitive(Object array, boolean typed) {
    if (array instanceof boolean[]) {
      boolean[] a = ((boolean[]) array).clone();
      return new ArrayKey(BOOLEAN, a, a.length);
    }
    if (array instanceof char[]) {
      char[] a = ((char[]) array).clone();
      return new ArrayKey(CHAR, a, a.length);
    }
    if (array instanceof long[]) {
      long[] a = ((long[]) array).clone();
      return new ArrayKey(LONG, a, a.length);
    }
    if (array instanceof byte[]) {
      byte[] a = (byte[]) array;
      if (typed) {
        return new ArrayKey(BYTE, a.clone(), a.length);
      }
      long[] w = new long[a.length];
      for (int i = 0; i < a.length; i++) {
        w[i] = a[i];
      }
      return new ArrayKey(LONG, w, w.length);
    }
    if (array instanceof short[]) {
      short[] a = (short[]) array;
      if (typed) {
        return new ArrayKey(SHORT, a.clone(), a.length);
      }
      long[] w = new long[a.length];
      for (int i = 0; i < a.length; i++) {
        w[i] = a[i];
      }
      return new ArrayKey(LONG, w, w.length);
    }
    if (array instanceof int[]) {
      int[] a = (int[]) array;
      if (typed) {
        return new ArrayKey(INT, a.clone(), a.length);
      }
      long[] w = new long[a.length];
      for (int i = 0; i < a.length; i++) {
        w[i] = a[i];
      }
      return new ArrayKey(LONG, w, w.length);
    }
    if (array instanceof float[]) {
      float[] a = (float[]) array;
      if (typed) {
        float[] c = new float[a.length];
        for (int i = 0; i < a.length; i++) {
          c[i] = a[i] == 0.0f ? 0.0f : a[i]; // -0.0 and 0.0 are one key
        }
        return new ArrayKey(FLOAT, c, c.length);
      }
      // Untyped floats become Long, BigDecimal or Double depending on the value: boxed storage.
      Object[] o = new Object[a.length];
      for (int i = 0; i < a.length; i++) {
        o[i] = Numbers.untypedDouble(a[i]);
      }
      return new ArrayKey(OBJECT, o, o.length);
    }
    if (array instanceof double[]) {
      double[] a = (double[]) array;
      if (typed) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
          c[i] = a[i] == 0.0 ? 0.0 : a[i];
        }
        return new ArrayKey(DOUBLE, c, c.length);
      }
      Object[] o = new Object[a.length];
      for (int i = 0; i < a.length; i++) {
        o[i] = Numbers.untypedDouble(a[i]);
      }
      return new ArrayKey(OBJECT, o, o.length);
    }
    throw new IllegalArgumentException("not a primitive array: " + array.getClass().getName());
  }

  /** Whether the elements are snapshots held as objects (they may then need re-snapshotting). */
  boolean holdsObjects() {
    return storage == OBJECT;
  }

  /** The backing array of primitives (only when {@link #holdsObjects()} is false). */
  Object primitiveData() {
    return data;
  }

  int length() {
    return length;
  }

  /** The snapshot of element {@code i}, boxed when stored as a primitive. */
  Object element(int i) {
    switch (storage) {
      case OBJECT:
        return ((Object[]) data)[i];
      case BOOLEAN:
        return ((boolean[]) data)[i];
      case CHAR:
        return ((char[]) data)[i];
      case BYTE:
        return ((byte[]) data)[i];
      case SHORT:
        return ((short[]) data)[i];
      case INT:
        return ((int[]) data)[i];
      case LONG:
        return ((long[]) data)[i];
      case FLOAT:
        return ((float[]) data)[i];
      default:
        return ((double[]) data)[i];
    }
  }

  /** Same value as {@code element(i).hashCode()}, without boxing. */
  private int elementHash(int i) {
    switch (storage) {
      case OBJECT:
        return ((Object[]) data)[i].hashCode();
      case BOOLEAN:
        return Boolean.hashCode(((boolean[]) data)[i]);
      case CHAR:
        return Character.hashCode(((char[]) data)[i]);
      case BYTE:
        return Byte.hashCode(((byte[]) data)[i]);
      case SHORT:
        return Short.hashCode(((short[]) data)[i]);
      case INT:
        return Integer.hashCode(((int[]) data)[i]);
      case LONG:
        return Long.hashCode(((long[]) data)[i]);
      case FLOAT:
        return Float.hashCode(((float[]) data)[i]);
      default:
        return Double.hashCode(((double[]) data)[i]);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ArrayKey)) {
      return false;
    }
    ArrayKey other = (ArrayKey) o;
    if (hash != other.hash || length != other.length) {
      return false;
    }
    if (storage == other.storage) {
      // Arrays.equals on float/double compares bit patterns with NaN canonicalized, matching
      // Float.equals/Double.equals; -0.0 was already folded into 0.0.
      switch (storage) {
        case OBJECT:
          return Arrays.equals((Object[]) data, (Object[]) other.data);
        case BOOLEAN:
          return Arrays.equals((boolean[]) data, (boolean[]) other.data);
        case CHAR:
          return Arrays.equals((char[]) data, (char[]) other.data);
        case BYTE:
          return Arrays.equals((byte[]) data, (byte[]) other.data);
        case SHORT:
          return Arrays.equals((short[]) data, (short[]) other.data);
        case INT:
          return Arrays.equals((int[]) data, (int[]) other.data);
        case LONG:
          return Arrays.equals((long[]) data, (long[]) other.data);
        case FLOAT:
          return Arrays.equals((float[]) data, (float[]) other.data);
        default:
          return Arrays.equals((double[]) data, (double[]) other.data);
      }
    }
    // Different storage (say int[] and Integer[]): compare the boxed snapshots.
    for (int i = 0; i < length; i++) {
      if (!element(i).equals(other.element(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(", ", "array[", "]");
    for (int i = 0; i < length; i++) {
      j.add(String.valueOf(element(i)));
    }
    return j.toString();
  }
}
