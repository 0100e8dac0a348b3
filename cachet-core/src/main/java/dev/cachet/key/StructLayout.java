package dev.cachet.key;

import java.lang.reflect.Field;

/**
 * How to read a record or a plain class (POJO) into a key, computed once per class and cached
 * in {@link TypeInfo}: the fields to read, in key order, with their names.
 *
 * <p>Records: components in declaration order (fixed by the record header). POJOs: the
 * non-static, non-transient fields of the class and its superclasses, grouped by declaring
 * class from the topmost superclass down, sorted by name inside a group. Sorting, rather than
 * {@link Class#getDeclaredFields()} order, matters because that order is unspecified and the
 * encoding must be the same in every JVM.
 */
final class StructLayout {
  final Class<?> type;
  final boolean record;
  /** Readable (setAccessible) fields in key order. */
  final Field[] fields;
  /** Field or component names, parallel to {@link #fields}. */
  final String[] names;
  /** POJOs: binary names of the declaring classes that contribute fields, topmost first. */
  final String[] groupClasses;
  /** POJOs: end index (exclusive) in {@link #fields} of each group. */
  final int[] groupEnds;

  StructLayout(Class<?> type, boolean record, Field[] fields, String[] groupClasses,
      int[] groupEnds) {
    this.type = type;
    this.record = record;
    this.fields = fields;
    this.names = new String[fields.length];
    for (int i = 0; i < fields.length; i++) {
      names[i] = fields[i].getName();
    }
    this.groupClasses = groupClasses;
    this.groupEnds = groupEnds;
  }
}
