package dev.cachet.key;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The canonical binary form of a key snapshot: the same bytes in every JVM, run and JDK version,
 * for use by persistent tiers (disk, Redis) through {@link KeyDigest}. The format is specified
 * in {@code docs/KEY-FORMAT.md}.
 *
 * <p>In short: one format version byte, then each value as a tag byte and a payload; lengths
 * and counts are unsigned LEB128 varints, strings UTF-8, fixed-width numbers big-endian; sets
 * and maps are sorted by their encoded bytes, so iteration order never matters. Nothing depends
 * on identity hashes, hash-table order or JDK-version-specific {@code toString}s.
 *
 * <p>Two snapshots are equal exactly when their encodings are, with one caveat: classes
 * (records, POJOs, enums, Class values) are identified by binary name, so same-named classes
 * from different class loaders share encodings although their snapshots differ.
 */
public final class CanonicalEncoding {

  /** The version byte that starts every encoding; bumped whenever any encoding changes. */
  public static final int FORMAT_VERSION = 1;

  // Tags; the values are part of the format (docs/KEY-FORMAT.md): never reuse or renumber.
  static final int NULL = 0x00;
  static final int FALSE = 0x01;
  static final int TRUE = 0x02;
  static final int CHAR = 0x03;
  static final int STRING = 0x04;
  static final int INT8 = 0x10;
  static final int INT16 = 0x11;
  static final int INT32 = 0x12;
  static final int INT64 = 0x13;
  static final int FLOAT32 = 0x14;
  static final int FLOAT64 = 0x15;
  static final int BIGINT = 0x16;
  static final int DECIMAL = 0x17;
  static final int UUID_TAG = 0x20;
  static final int TIME = 0x21;
  static final int ENUM = 0x22;
  static final int CLASS = 0x23;
  static final int OPTIONAL_EMPTY = 0x24;
  static final int OPTIONAL_OF = 0x25;
  static final int LIST = 0x30;
  static final int ARRAY = 0x31;
  static final int SET = 0x32;
  static final int MAP = 0x33;
  static final int RECORD = 0x34;
  static final int OBJECT = 0x35;
  static final int ARGS = 0x36;
  static final int BACKREF = 0x37;

  private CanonicalEncoding() {
  }

  /**
   * The canonical encoding of a key snapshot, as returned by {@link KeyMaker} or
   * {@link KeySnapshot}. Leaf values (strings, numbers, enums...) are their own snapshots and
   * are accepted directly; a raw number is encoded with its Java type, as in a typed snapshot.
   *
   * @param key a snapshot
   * @return a new array: the format version byte followed by the encoded value
   * @throws IllegalArgumentException when {@code key} is not a snapshot (a raw List, a POJO...);
   *     use {@link #encode(Object, boolean)} for raw values
   */
  public static byte[] encode(Object key) {
    ByteSink out = new ByteSink(64);
    out.write(FORMAT_VERSION);
    write(key, out);
    return out.toByteArray();
  }

  /**
   * The canonical encoding of a raw value: {@code encode(KeySnapshot.of(value, typed))}.
   *
   * @param value any value {@link KeySnapshot} supports, possibly null
   * @param typed whether numbers of different Java types stay apart
   * @return a new array: the format version byte followed by the encoded value
   * @throws KeyException when the value has no stable key
   */
  public static byte[] encode(Object value, boolean typed) {
    return encode(KeySnapshot.of(value, typed));
  }

  private static byte[] encodeValue(Object key) {
    ByteSink out = new ByteSink(32);
    write(key, out);
    return out.toByteArray();
  }

  private static void write(Object key, ByteSink out) {
    if (key == null) {
      out.write(NULL); // tolerated although snapshots use the sentinel
      return;
    }
    if (key instanceof String) {
      out.write(STRING);
      out.writeString((String) key);
      return;
    }
    TypeInfo t = TypeInfo.of(key.getClass());
    switch (t.kind) {
      case NODE_NULL:
        out.write(NULL);
        return;
      case LEAF:
        writeLeaf(key, out);
        return;
      case NUMBER:
        writeNumber((Number) key, out);
        return;
      case TIME:
        out.write(TIME);
        out.write(t.timeCode);
        // Each type's toString is specified as an ISO-8601 form; they are all ASCII.
        out.writeString(key.toString());
        return;
      case ENUM: {
        Enum<?> e = (Enum<?>) key;
        out.write(ENUM);
        out.writeString(e.getDeclaringClass().getName());
        out.writeString(e.name());
        return;
      }
      case CLASS: {
        Class<?> c = (Class<?>) key;
        if (c.isHidden()) {
          throw new IllegalArgumentException("hidden class has no stable name: " + c.getName());
        }
        out.write(CLASS);
        out.writeString(c.getName());
        return;
      }
      case OPTIONAL: {
        Optional<?> o = (Optional<?>) key;
        if (o.isEmpty()) {
          out.write(OPTIONAL_EMPTY);
        } else {
          out.write(OPTIONAL_OF);
          write(o.get(), out);
        }
        return;
      }
      case NODE_SEQUENCE: {
        SequenceKey s = (SequenceKey) key;
        out.write(s.kind == SequenceKey.Kind.ARGS ? ARGS : LIST);
        out.writeVarint(s.size());
        for (Object e : s.elements) {
          write(e, out);
        }
        return;
      }
      case NODE_ARRAY: {
        ArrayKey a = (ArrayKey) key;
        out.write(ARRAY);
        out.writeVarint(a.length());
        for (int i = 0; i < a.length(); i++) {
          write(a.element(i), out);
        }
        return;
      }
      case NODE_SET: {
        SetKey s = (SetKey) key;
        byte[][] elements = new byte[s.elements.size()][];
        int i = 0;
        for (Object e : s.elements) {
          elements[i++] = encodeValue(e);
        }
        Arrays.sort(elements, Arrays::compareUnsigned); // iteration order must not matter
        out.write(SET);
        out.writeVarint(elements.length);
        for (byte[] e : elements) {
          out.write(e);
        }
        return;
      }
      case NODE_MAP: {
        MapKey m = (MapKey) key;
        byte[][][] entries = new byte[m.entries.size()][][];
        int i = 0;
        for (Map.Entry<Object, Object> e : m.entries.entrySet()) {
          entries[i++] = new byte[][] {encodeValue(e.getKey()), encodeValue(e.getValue())};
        }
        // Keys are distinct and their encodings prefix-free, so ordering by key bytes is the
        // same as ordering by whole-entry bytes.
        Arrays.sort(entries, (x, y) -> Arrays.compareUnsigned(x[0], y[0]));
        out.write(MAP);
        out.writeVarint(entries.length);
        for (byte[][] e : entries) {
          out.write(e[0]);
          out.write(e[1]);
        }
        return;
      }
      case NODE_STRUCT:
        writeStruct((StructKey) key, out);
        return;
      case NODE_BACKREF:
        out.write(BACKREF);
        out.writeVarint(((BackRef) key).distance);
        return;
      default:
        throw new IllegalArgumentException("not a key snapshot: " + key.getClass().getName()
            + "; take it from KeyMaker or KeySnapshot.of(value, typed), or call "
            + "encode(value, typed)");
    }
  }

  private static void writeLeaf(Object key, ByteSink out) {
    if (key instanceof Boolean) {
      out.write((Boolean) key ? TRUE : FALSE);
    } else if (key instanceof Character) {
      out.write(CHAR);
      out.writeShort((Character) key);
    } else {
      UUID u = (UUID) key;
      out.write(UUID_TAG);
      out.writeLong(u.getMostSignificantBits());
      out.writeLong(u.getLeastSignificantBits());
    }
  }

  private static void writeNumber(Number raw, ByteSink out) {
    // A typed normalization is a no-op on snapshots; it makes raw leaves (-0.0, 1.00) encode
    // like their snapshots.
    Object n = Numbers.normalize(raw, true);
    if (n instanceof Long) {
      out.write(INT64);
      out.writeLong((Long) n);
    } else if (n instanceof Integer) {
      out.write(INT32);
      out.writeInt((Integer) n);
    } else if (n instanceof Double) {
      out.write(FLOAT64);
      out.writeLong(Double.doubleToLongBits((Double) n)); // one NaN: 0x7ff8000000000000
    } else if (n instanceof Float) {
      out.write(FLOAT32);
      out.writeInt(Float.floatToIntBits((Float) n)); // one NaN: 0x7fc00000
    } else if (n instanceof Short) {
      out.write(INT16);
      out.writeShort((Short) n);
    } else if (n instanceof Byte) {
      out.write(INT8);
      out.write((Byte) n);
    } else if (n instanceof BigInteger) {
      byte[] b = ((BigInteger) n).toByteArray(); // minimal two's complement, big-endian
      out.write(BIGINT);
      out.writeVarint(b.length);
      out.write(b);
    } else {
      BigDecimal d = (BigDecimal) n;
      byte[] b = d.unscaledValue().toByteArray();
      out.write(DECIMAL);
      out.writeZigZag(d.scale());
      out.writeVarint(b.length);
      out.write(b);
    }
  }

  private static void writeStruct(StructKey s, ByteSink out) {
    StructLayout layout = s.layout;
    if (layout.record) {
      out.write(RECORD);
      out.writeString(layout.type.getName());
      out.writeVarint(s.values.length);
      for (int i = 0; i < s.values.length; i++) {
        out.writeString(layout.names[i]);
        write(s.values[i], out);
      }
      return;
    }
    out.write(OBJECT);
    out.writeString(layout.type.getName());
    out.writeVarint(layout.groupClasses.length);
    int start = 0;
    for (int g = 0; g < layout.groupClasses.length; g++) {
      int end = layout.groupEnds[g];
      out.writeString(layout.groupClasses[g]);
      out.writeVarint(end - start);
      for (int i = start; i < end; i++) {
        out.writeString(layout.names[i]);
        write(s.values[i], out);
      }
      start = end;
    }
  }
}
