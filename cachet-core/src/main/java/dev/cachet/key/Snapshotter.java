package dev.cachet.key;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * One walk over the arguments of one call, turning them into an immutable snapshot. Not
 * thread-safe and short-lived: it holds the per-call state (ancestors for cycle detection, the
 * path for error messages, the node counter).
 *
 * <p>Structures are expanded as trees: an object reachable twice is snapshotted twice, but an
 * object met again <em>on the path from the root</em> (a cycle) becomes a {@link BackRef}.
 * Because every node only depends on its own path, set and map iteration order cannot change
 * the result.
 */
final class Snapshotter {
  private static final byte SEG_INDEX = 1;
  private static final byte SEG_FIELD = 2;
  private static final byte SEG_SET_ELEMENT = 3;
  private static final byte SEG_MAP_KEY = 4;
  private static final byte SEG_MAP_VALUE = 5;
  private static final byte SEG_OPTIONAL = 6;

  private static final int MAX_PATH_CHARS = 400;

  private final boolean typed;
  /** Null when the snapshot is not for a function (KeySnapshot.of). */
  private final String function;
  /** The root of error paths: the parameter name, or "value". */
  private String parameter;
  private int nodes;

  // Indexed by depth (0 = the argument itself). stack: the value being snapshotted at each
  // level, for cycle detection by identity. seg*: how level d was reached from level d-1, only
  // read to render an error path, so the happy path never builds strings. hops: keyPart()
  // indirections taken at each level.
  private Object[] stack = new Object[8];
  private byte[] segKind = new byte[8];
  private int[] segIndex = new int[8];
  private Object[] segObject = new Object[8];
  private int[] hops = new int[8];

  Snapshotter(boolean typed, String function, String parameter) {
    this.typed = typed;
    this.function = function;
    this.parameter = parameter;
  }

  /**
   * The snapshot of a value that needs no walk (null, strings, numbers and other leaves), or
   * null when it needs one. Lets callers skip allocating a Snapshotter for the common case.
   */
  static Object simple(Object v, boolean typed) {
    if (v == null) {
      return NullKey.INSTANCE;
    }
    if (v instanceof String) {
      return v;
    }
    TypeInfo t = TypeInfo.of(v.getClass());
    switch (t.kind) {
      case LEAF:
      case TIME:
      case ENUM:
      case NODE_NULL:
      case NODE_BACKREF:
        return v;
      case NUMBER:
        return Numbers.normalize((Number) v, typed);
      default:
        return null;
    }
  }

  /** Starts a new argument whose error paths are rooted at {@code name}. */
  void parameter(String name) {
    this.parameter = name;
  }

  /** The snapshot of one argument. */
  Object root(Object v) {
    return snap(v, 0);
  }

  private Object snap(Object value, int d) {
    if (++nodes > KeySnapshot.MAX_NODES) {
      throw limit(d, "it holds more than " + KeySnapshot.MAX_NODES + " values");
    }
    if (d > KeySnapshot.MAX_DEPTH) {
      throw limit(d, "it nests deeper than " + KeySnapshot.MAX_DEPTH + " levels");
    }
    ensureDepth(d);
    hops[d] = 0;
    Object v = value;
    if (v == null) {
      return NullKey.INSTANCE;
    }
    if (v instanceof String) {
      return v;
    }
    TypeInfo t = TypeInfo.of(v.getClass());
    // A KeyPart stands in for its keyPart() value at the same level: the key is as if the
    // argument were that value, so the encoding has no trace of the indirection.
    while (t.kind == TypeInfo.Kind.KEYPART) {
      Object next = ((KeyPart) v).keyPart();
      if (next == v) {
        throw unsupported(v.getClass(), "its keyPart() returns the object itself; return "
            + "another value such as a String or a record", d);
      }
      if (++hops[d] > KeySnapshot.MAX_DEPTH) {
        throw limit(d, "its keyPart() values nest deeper than " + KeySnapshot.MAX_DEPTH
            + " levels");
      }
      if (next == null) {
        return NullKey.INSTANCE;
      }
      v = next;
      t = TypeInfo.of(v.getClass());
    }
    switch (t.kind) {
      case STRING:
      case LEAF:
      case TIME:
      case ENUM:
      case NODE_NULL:
      case NODE_BACKREF:
        return v;
      case CLASS:
        if (((Class<?>) v).isHidden()) {
          throw unsupported(v.getClass(), "the class of a lambda or other hidden class has no "
              + "stable name", d);
        }
        return v;
      case NUMBER:
        return Numbers.normalize((Number) v, typed);
      case OPTIONAL_INT: {
        OptionalInt o = (OptionalInt) v;
        return o.isPresent() ? Optional.of(Numbers.normalize(o.getAsInt(), typed))
            : Optional.empty();
      }
      case OPTIONAL_LONG: {
        OptionalLong o = (OptionalLong) v;
        return o.isPresent() ? Optional.of(Numbers.normalize(o.getAsLong(), typed))
            : Optional.empty();
      }
      case OPTIONAL_DOUBLE: {
        OptionalDouble o = (OptionalDouble) v;
        return o.isPresent() ? Optional.of(Numbers.normalize(o.getAsDouble(), typed))
            : Optional.empty();
      }
      case UNSUPPORTED:
        throw unsupported(v.getClass(), t.reason, d);
      default:
        break;
    }
    // A compound value: is it one of its own ancestors?
    for (int i = 0; i < d; i++) {
      if (stack[i] == v) {
        return new BackRef(d - i);
      }
    }
    stack[d] = v;
    try {
      return compound(v, t, d);
    } finally {
      stack[d] = null; // do not keep user objects reachable after the call
    }
  }

  private Object compound(Object v, TypeInfo t, int d) {
    int c = d + 1;
    switch (t.kind) {
      case OPTIONAL: {
        Optional<?> o = (Optional<?>) v;
        if (o.isEmpty()) {
          return o;
        }
        enter(c, SEG_OPTIONAL, 0, null);
        Object content = o.get();
        Object s = snap(content, c);
        return s == content ? o : Optional.of(s);
      }
      case ARRAY: {
        if (v.getClass().getComponentType().isPrimitive()) {
          return ArrayKey.ofPrimitive(v, typed);
        }
        Object[] a = (Object[]) v;
        Object[] out = new Object[a.length];
        for (int i = 0; i < a.length; i++) {
          enter(c, SEG_INDEX, i, null);
          out[i] = snap(a[i], c);
        }
        return ArrayKey.ofSnapshots(out);
      }
      case LIST: {
        // toArray() first: one consistent read, atomic for synchronized and concurrent lists.
        Object[] a = ((Collection<?>) v).toArray();
        for (int i = 0; i < a.length; i++) {
          enter(c, SEG_INDEX, i, null);
          a[i] = snap(a[i], c);
        }
        return new SequenceKey(SequenceKey.Kind.LIST, a);
      }
      case SET: {
        Object[] a = ((Collection<?>) v).toArray();
        HashSet<Object> s = new HashSet<>(capacity(a.length));
        for (int i = 0; i < a.length; i++) {
          enter(c, SEG_SET_ELEMENT, i, null);
          // Elements that are distinct in the set but equal as keys (1 and 1L untyped) merge.
          s.add(snap(a[i], c));
        }
        return new SetKey(s);
      }
      case MAP: {
        Map<?, ?> m = (Map<?, ?>) v;
        HashMap<Object, Object> out = new HashMap<>(capacity(m.size()));
        int i = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          Object rawKey = e.getKey();
          Object rawValue = e.getValue();
          enter(c, SEG_MAP_KEY, i, null);
          Object k = snap(rawKey, c);
          enter(c, SEG_MAP_VALUE, i, rawKey);
          put(out, k, snap(rawValue, c), d);
          i++;
        }
        return new MapKey(out);
      }
      case RECORD:
      case POJO: {
        StructLayout layout = t.layout;
        Object[] values = new Object[layout.fields.length];
        for (int i = 0; i < values.length; i++) {
          enter(c, SEG_FIELD, i, layout.names[i]);
          Object fieldValue;
          try {
            fieldValue = layout.fields[i].get(v);
          } catch (IllegalAccessException e) {
            throw unsupported(v.getClass(), "its fields cannot be read", d);
          }
          values[i] = snap(fieldValue, c);
        }
        return new StructKey(layout, values);
      }
      case NODE_SEQUENCE: {
        SequenceKey s = (SequenceKey) v;
        Object[] out = resnap(s.elements, c);
        return out == null ? s : new SequenceKey(s.kind, out);
      }
      case NODE_ARRAY: {
        ArrayKey a = (ArrayKey) v;
        if (!a.holdsObjects()) {
          ArrayKey r = ArrayKey.ofPrimitive(a.primitiveData(), typed);
          return r.equals(a) ? a : r;
        }
        Object[] in = new Object[a.length()];
        for (int i = 0; i < in.length; i++) {
          in[i] = a.element(i);
        }
        Object[] out = resnap(in, c);
        return out == null ? a : ArrayKey.ofSnapshots(out);
      }
      case NODE_SET: {
        SetKey s = (SetKey) v;
        Object[] in = s.elements.toArray();
        Object[] out = resnap(in, c);
        if (out == null) {
          return s;
        }
        HashSet<Object> set = new HashSet<>(capacity(out.length));
        for (Object e : out) {
          set.add(e);
        }
        return new SetKey(set);
      }
      case NODE_MAP: {
        MapKey m = (MapKey) v;
        HashMap<Object, Object> out = new HashMap<>(capacity(m.entries.size()));
        boolean changed = false;
        int i = 0;
        for (Map.Entry<Object, Object> e : m.entries.entrySet()) {
          enter(c, SEG_MAP_KEY, i, null);
          Object k = snap(e.getKey(), c);
          enter(c, SEG_MAP_VALUE, i, e.getKey());
          Object val = snap(e.getValue(), c);
          changed |= k != e.getKey() || val != e.getValue();
          put(out, k, val, d);
          i++;
        }
        return changed ? new MapKey(out) : m;
      }
      case NODE_STRUCT: {
        StructKey s = (StructKey) v;
        Object[] out = new Object[s.values.length];
        boolean changed = false;
        for (int i = 0; i < out.length; i++) {
          enter(c, SEG_FIELD, i, s.layout.names[i]);
          out[i] = snap(s.values[i], c);
          changed |= out[i] != s.values[i];
        }
        return changed ? new StructKey(s.layout, out) : s;
      }
      default:
        throw new AssertionError("unexpected kind " + t.kind);
    }
  }

  /** Re-snapshots snapshot elements (for idempotence); null when none changed. */
  private Object[] resnap(Object[] in, int c) {
    Object[] out = null;
    for (int i = 0; i < in.length; i++) {
      enter(c, SEG_INDEX, i, null);
      Object s = snap(in[i], c);
      if (s != in[i] && out == null) {
        out = in.clone();
      }
      if (out != null) {
        out[i] = s;
      }
    }
    return out;
  }

  private void put(HashMap<Object, Object> out, Object k, Object val, int d) {
    Object previous = out.put(k, val);
    if (previous != null && !previous.equals(val)) {
      // Untyped keys 1 and 1.0 are one key; with different values the map has no single key.
      String shown = String.valueOf(k);
      if (shown.length() > 60) {
        shown = shown.substring(0, 57) + "...";
      }
      throw problem(d, null, "two of its map keys are equal as cache keys (" + shown
          + ") but map to different values; use typed keys or give a key function");
    }
  }

  private static int capacity(int size) {
    return size < 3 ? 4 : (int) Math.min(1 << 30, size * 4L / 3 + 1);
  }

  private void enter(int depth, byte kind, int index, Object object) {
    ensureDepth(depth);
    segKind[depth] = kind;
    segIndex[depth] = index;
    segObject[depth] = object;
  }

  private void ensureDepth(int d) {
    if (d >= stack.length) {
      int n = Math.max(d + 1, stack.length * 2);
      stack = java.util.Arrays.copyOf(stack, n);
      segKind = java.util.Arrays.copyOf(segKind, n);
      segIndex = java.util.Arrays.copyOf(segIndex, n);
      segObject = java.util.Arrays.copyOf(segObject, n);
      hops = java.util.Arrays.copyOf(hops, n);
    }
  }

  // ---- errors ----

  private KeyException unsupported(Class<?> type, String reason, int d) {
    String detail = "type " + type.getName() + " has no stable value"
        + (reason == null ? "" : " (" + reason + ")");
    return problem(d, type.getName(), detail);
  }

  private KeyException limit(int d, String what) {
    return problem(Math.min(d, stack.length - 1), null, what);
  }

  private KeyException problem(int d, String typeName, String detail) {
    String path = path(d);
    String subject = function == null ? "a value"
        : "parameter '" + parameter + "' of " + function;
    String fixes = function == null
        ? "Convert it to a supported value (see docs/KEY-FORMAT.md) or implement "
            + KeyPart.class.getName() + "."
        : "Ignore it with .ignore(\"" + parameter + "\"), give a key function with "
            + ".keyBy(...), or implement " + KeyPart.class.getName() + ".";
    String at = path.equals(parameter) ? "" : " (at " + path + ")";
    String message = "Cannot build a cache key for " + subject + at + ": " + detail + ". "
        + fixes;
    return new KeyException(message, function, function == null ? null : parameter, path,
        typeName);
  }

  /** Renders the path to level {@code d}, such as {@code req.items[2].lock}. */
  private String path(int d) {
    StringBuilder sb = new StringBuilder(parameter);
    for (int i = 0; i <= d && i < stack.length; i++) {
      if (i > 0) {
        switch (segKind[i]) {
          case SEG_INDEX:
            sb.append('[').append(segIndex[i]).append(']');
            break;
          case SEG_FIELD:
            sb.append('.').append(segObject[i]);
            break;
          case SEG_SET_ELEMENT:
            sb.append("{#").append(segIndex[i]).append('}');
            break;
          case SEG_MAP_KEY:
            sb.append("{key #").append(segIndex[i]).append('}');
            break;
          case SEG_MAP_VALUE:
            sb.append('[').append(describeKey(segObject[i], segIndex[i])).append(']');
            break;
          case SEG_OPTIONAL:
            sb.append(".get()");
            break;
          default:
            break;
        }
      }
      for (int h = 0; h < hops[i]; h++) {
        sb.append(".keyPart()");
      }
    }
    if (sb.length() > MAX_PATH_CHARS) {
      // Paths of 256 levels help nobody; keep both ends.
      return sb.substring(0, MAX_PATH_CHARS / 2) + "..."
          + sb.substring(sb.length() - MAX_PATH_CHARS / 2);
    }
    return sb.toString();
  }

  /** A map key as shown in a path: only values whose toString is safe and short. */
  private static String describeKey(Object key, int index) {
    if (key instanceof String && ((String) key).length() <= 40) {
      return "\"" + key + "\"";
    }
    if (key instanceof Number || key instanceof Boolean || key instanceof Character
        || key instanceof Enum || key instanceof UUID) {
      return String.valueOf(key);
    }
    return "entry #" + index;
  }
}
