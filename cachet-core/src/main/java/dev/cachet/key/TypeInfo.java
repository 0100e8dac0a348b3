package dev.cachet.key;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.Spliterator;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * What kind of key value a class gives, computed once per class (reflection is slow) and cached
 * in a {@link ClassValue}, which does not keep classes from being unloaded.
 */
final class TypeInfo {

  /** The kinds of value; the snapshot and the encoding dispatch on it. */
  enum Kind {
    STRING, LEAF, TIME, CLASS, NUMBER, ENUM, KEYPART,
    OPTIONAL, OPTIONAL_INT, OPTIONAL_LONG, OPTIONAL_DOUBLE,
    ARRAY, LIST, SET, MAP, RECORD, POJO,
    // Snapshots handed back in (KeySnapshot.of is idempotent):
    NODE_NULL, NODE_BACKREF, NODE_SEQUENCE, NODE_ARRAY, NODE_SET, NODE_MAP, NODE_STRUCT,
    UNSUPPORTED
  }

  // Codes of the java.time types in the encoding (docs/KEY-FORMAT.md); never renumber.
  static final int TIME_INSTANT = 1;
  static final int TIME_LOCAL_DATE = 2;
  static final int TIME_LOCAL_TIME = 3;
  static final int TIME_LOCAL_DATE_TIME = 4;
  static final int TIME_OFFSET_TIME = 5;
  static final int TIME_OFFSET_DATE_TIME = 6;
  static final int TIME_ZONED_DATE_TIME = 7;
  static final int TIME_DURATION = 8;
  static final int TIME_PERIOD = 9;
  static final int TIME_YEAR = 10;
  static final int TIME_YEAR_MONTH = 11;
  static final int TIME_MONTH_DAY = 12;
  static final int TIME_ZONE_OFFSET = 13;
  static final int TIME_ZONE_REGION = 14;

  // Mutation testing only (docs/TESTING.md): with the cache, PIT would credit each class's
  // computation to the first test that asked for it and judge later mutants on cached results.
  private static final boolean UNCACHED = Boolean.getBoolean("cachet.pit.uncached");

  private static final ClassValue<TypeInfo> CACHE = new ClassValue<>() {
    @Override
    protected TypeInfo computeValue(Class<?> type) {
      return classify(type);
    }
  };

  /**
   * Types that are never values, even in user code: resources, one-shot iterations and
   * concurrency machinery. A user subclass of them would otherwise be read field by field.
   */
  private static final List<Class<?>> DENIED = List.of(
      AutoCloseable.class, Iterator.class, Iterable.class, Spliterator.class, Enumeration.class,
      Thread.class, Lock.class, ReadWriteLock.class, Condition.class, Executor.class,
      Future.class, ClassLoader.class, Reference.class);

  final Kind kind;
  /** For TIME: the type code. */
  final int timeCode;
  /** For RECORD and POJO. */
  final StructLayout layout;
  /** For UNSUPPORTED: why, in a few words, or null when "no stable value" says it all. */
  final String reason;

  private TypeInfo(Kind kind, int timeCode, StructLayout layout, String reason) {
    this.kind = kind;
    this.timeCode = timeCode;
    this.layout = layout;
    this.reason = reason;
  }

  private static TypeInfo of(Kind kind) {
    return new TypeInfo(kind, 0, null, null);
  }

  private static TypeInfo unsupported(String reason) {
    return new TypeInfo(Kind.UNSUPPORTED, 0, null, reason);
  }

  /** The (cached) kind of {@code type}. */
  static TypeInfo of(Class<?> type) {
    return UNCACHED ? classify(type) : cached(type);
  }

  // Package-private so that tests reach the cache even in runs that switch it off.
  static TypeInfo cached(Class<?> type) {
    return CACHE.get(type);
  }

  /** Whether a class belongs to the JDK, whose internals cannot (and must not) be read. */
  static boolean isJdk(Class<?> c) {
    String p = c.getPackageName();
    return p.startsWith("java.") || p.startsWith("javax.") || p.startsWith("jdk.")
        || p.startsWith("sun.") || p.startsWith("com.sun.");
  }

  private static TypeInfo classify(Class<?> c) {
    // KeyPart first: it is how users override everything below, records and enums included.
    if (KeyPart.class.isAssignableFrom(c)) {
      return of(Kind.KEYPART);
    }
    if (c == String.class) {
      return of(Kind.STRING);
    }
    Kind node = nodeKind(c);
    if (node != null) {
      return of(node);
    }
    if (c == Boolean.class || c == Character.class || c == UUID.class) {
      return of(Kind.LEAF);
    }
    int time = timeCode(c);
    if (time != 0) {
      return new TypeInfo(Kind.TIME, time, null, null);
    }
    if (c == Class.class) {
      return of(Kind.CLASS);
    }
    if (Numbers.isSupported(c)) {
      return of(Kind.NUMBER);
    }
    if (Enum.class.isAssignableFrom(c)) {
      return of(Kind.ENUM); // constants with a body are subclasses, hence isAssignableFrom.
    }
    if (c == Optional.class) {
      return of(Kind.OPTIONAL);
    }
    if (c == OptionalInt.class) {
      return of(Kind.OPTIONAL_INT);
    }
    if (c == OptionalLong.class) {
      return of(Kind.OPTIONAL_LONG);
    }
    if (c == OptionalDouble.class) {
      return of(Kind.OPTIONAL_DOUBLE);
    }
    if (c.isArray()) {
      return of(Kind.ARRAY);
    }
    if (List.class.isAssignableFrom(c)) {
      return of(Kind.LIST);
    }
    if (Set.class.isAssignableFrom(c)) {
      return of(Kind.SET);
    }
    if (Map.class.isAssignableFrom(c)) {
      return of(Kind.MAP);
    }
    if (Collection.class.isAssignableFrom(c)) {
      // Queues and bags: order is either undefined (PriorityQueue, Map.values() of a HashMap)
      // or not what callers mean; make them choose.
      return unsupported("a Collection that is neither a List nor a Set; pass a List or a Set");
    }
    if (c.isHidden() || c.isSynthetic()) {
      return unsupported("a lambda or other hidden/synthetic class; it has no stable identity");
    }
    if (isJdk(c)) {
      return unsupported(null);
    }
    if (c.isRecord()) {
      return recordLayout(c);
    }
    for (Class<?> denied : DENIED) {
      if (denied.isAssignableFrom(c)) {
        return unsupported("it is a " + denied.getName());
      }
    }
    return pojoLayout(c);
  }

  private static Kind nodeKind(Class<?> c) {
    if (c == NullKey.class) {
      return Kind.NODE_NULL;
    }
    if (c == BackRef.class) {
      return Kind.NODE_BACKREF;
    }
    if (c == SequenceKey.class) {
      return Kind.NODE_SEQUENCE;
    }
    if (c == ArrayKey.class) {
      return Kind.NODE_ARRAY;
    }
    if (c == SetKey.class) {
      return Kind.NODE_SET;
    }
    if (c == MapKey.class) {
      return Kind.NODE_MAP;
    }
    if (c == StructKey.class) {
      return Kind.NODE_STRUCT;
    }
    return null;
  }

  private static int timeCode(Class<?> c) {
    if (c == Instant.class) {
      return TIME_INSTANT;
    }
    if (c == LocalDate.class) {
      return TIME_LOCAL_DATE;
    }
    if (c == LocalTime.class) {
      return TIME_LOCAL_TIME;
    }
    if (c == LocalDateTime.class) {
      return TIME_LOCAL_DATE_TIME;
    }
    if (c == OffsetTime.class) {
      return TIME_OFFSET_TIME;
    }
    if (c == OffsetDateTime.class) {
      return TIME_OFFSET_DATE_TIME;
    }
    if (c == ZonedDateTime.class) {
      return TIME_ZONED_DATE_TIME;
    }
    if (c == Duration.class) {
      return TIME_DURATION;
    }
    if (c == Period.class) {
      return TIME_PERIOD;
    }
    if (c == Year.class) {
      return TIME_YEAR;
    }
    if (c == YearMonth.class) {
      return TIME_YEAR_MONTH;
    }
    if (c == MonthDay.class) {
      return TIME_MONTH_DAY;
    }
    if (c == ZoneOffset.class) {
      return TIME_ZONE_OFFSET;
    }
    // Region ids (ZoneRegion is not public); ZoneId's constructor only admits JDK subclasses.
    if (ZoneId.class.isAssignableFrom(c)) {
      return TIME_ZONE_REGION;
    }
    return 0;
  }

  private static TypeInfo recordLayout(Class<?> c) {
    RecordComponent[] components = c.getRecordComponents();
    Field[] fields = new Field[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        // The private field rather than the accessor: an accessor may be overridden to copy or
        // compute, the field is the component's value.
        Field f = c.getDeclaredField(components[i].getName());
        f.setAccessible(true);
        fields[i] = f;
      }
    } catch (NoSuchFieldException | RuntimeException e) {
      return unreadable(c, e);
    }
    return new TypeInfo(Kind.RECORD, 0, new StructLayout(c, true, fields, new String[0],
        new int[0]), null);
  }

  private static TypeInfo pojoLayout(Class<?> c) {
    List<Class<?>> chain = new ArrayList<>();
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      chain.add(0, k); // topmost superclass first
    }
    List<Field> fields = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    List<Integer> ends = new ArrayList<>();
    for (Class<?> k : chain) {
      List<Field> own = new ArrayList<>();
      for (Field f : k.getDeclaredFields()) {
        int m = f.getModifiers();
        if (!Modifier.isStatic(m) && !Modifier.isTransient(m)) {
          own.add(f);
        }
      }
      if (own.isEmpty()) {
        continue;
      }
      if (isJdk(k)) {
        return unsupported("it inherits internal state from " + k.getName());
      }
      for (Field f : own) {
        if (f.isSynthetic()) {
          // this$0 or val$x: an inner, local or anonymous class capturing its context.
          return unsupported("it captures an enclosing instance or local variables; "
              + "make it a static nested class or a record");
        }
      }
      if (k.isAnonymousClass()) {
        return unsupported("an anonymous class with state");
      }
      own.sort(Comparator.comparing(Field::getName));
      try {
        for (Field f : own) {
          f.setAccessible(true);
        }
      } catch (RuntimeException e) {
        return unreadable(c, e);
      }
      fields.addAll(own);
      groups.add(k.getName());
      ends.add(fields.size());
    }
    int[] groupEnds = new int[ends.size()];
    for (int i = 0; i < groupEnds.length; i++) {
      groupEnds[i] = ends.get(i);
    }
    return new TypeInfo(Kind.POJO, 0, new StructLayout(c, false, fields.toArray(new Field[0]),
        groups.toArray(new String[0]), groupEnds), null);
  }

  private static TypeInfo unreadable(Class<?> c, Exception e) {
    // Typically InaccessibleObjectException: a named module that does not open the package.
    return unsupported("its fields cannot be read (" + e.getClass().getSimpleName()
        + "); open package " + c.getPackageName() + " to Cachet");
  }

  @Override
  public String toString() {
    return kind + (layout == null ? "" : Arrays.toString(layout.names));
  }
}
