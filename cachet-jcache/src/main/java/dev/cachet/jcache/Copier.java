package dev.cachet.jcache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.lang.ref.WeakReference;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import javax.cache.CacheException;

/**
 * Turns keys and values into what the cache holds and back. Store-by-value (the JCache default)
 * copies through Java serialization, as the specification's reference implementation does, so
 * that a caller mutating an object after {@code put} or after {@code get} never changes the
 * cached entry; immutable JDK types (strings, boxed numbers, enums, {@code java.time} values...)
 * are held as they are. Store-by-reference holds the caller's objects.
 *
 * <p>Classes are resolved through the cache manager's class loader first (so an application
 * server's or a test's own loader sees its classes), and every stream is read through an
 * {@link ObjectInputFilter}: the JVM-wide filter when one is set, otherwise {@link #DEFAULT_FILTER},
 * which bounds depth, references and sizes and refuses well-known deserialization gadgets. The
 * bytes copied in memory are the cache's own, written a moment before from live objects; the
 * filter matters most for values read back from a disk or Redis tier.
 */
abstract class Copier {
  /**
   * The filter used when neither the configuration nor the JVM names one: structural limits
   * plus a deny list of classes known as deserialization gadgets.
   */
  static final String DEFAULT_FILTER = "maxdepth=100;maxrefs=1000000;maxarray=100000000;"
      + "maxbytes=1073741824;"
      + "!org.apache.commons.collections.functors.*;!org.apache.commons.collections4.functors.*;"
      + "!org.codehaus.groovy.runtime.*;!groovy.lang.*;!org.python.core.*;!bsh.*;"
      + "!com.sun.org.apache.xalan.internal.xsltc.trax.*;!org.apache.xalan.xsltc.trax.*;"
      + "!com.sun.rowset.*;!javax.management.*;!java.rmi.*;!sun.rmi.*;!com.sun.jndi.*;"
      + "!org.springframework.beans.factory.*;!org.springframework.aop.*;"
      + "!com.mchange.v2.c3p0.*;!clojure.*;*";

  private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Boolean.class, Byte.class,
      Short.class, Integer.class, Long.class, Float.class, Double.class, Character.class,
      BigInteger.class, BigDecimal.class, UUID.class, java.time.Instant.class,
      java.time.LocalDate.class, java.time.LocalDateTime.class, java.time.LocalTime.class,
      java.time.OffsetDateTime.class, java.time.OffsetTime.class, java.time.ZonedDateTime.class,
      java.time.Duration.class, java.time.Period.class, java.time.Year.class,
      java.time.YearMonth.class, java.time.MonthDay.class, java.time.ZoneOffset.class,
      Class.class);

  /** Holds callers' objects themselves. */
  static Copier byReference() {
    return ByReference.INSTANCE;
  }

  /** Copies through Java serialization, resolving classes with {@code loader} first. */
  static Copier byValue(ClassLoader loader, ObjectInputFilter filter) {
    return new ByValue(loader, filter);
  }

  /** The object to keep as a key: a copy the caller cannot reach, equal to {@code key}. */
  abstract Object storeKey(Object key);

  /** The form a value is kept in: the value itself, or its serialized bytes. */
  abstract Object storeValue(Object value);

  /** A value as handed to callers: a fresh copy of what is kept, or the kept object. */
  abstract Object readValue(Object stored);

  /** A key as handed to callers (iterators, events). */
  abstract Object readKey(Object storedKey);

  /** Whether the kept form of a value equals {@code value} (for the conditional operations). */
  final boolean sameValue(Object stored, Object value) {
    if (stored instanceof Serialized s) {
      return value.equals(readValue(s));
    }
    return stored.equals(value);
  }

  static boolean immutable(Object o) {
    return IMMUTABLE.contains(o.getClass()) || o instanceof Enum<?>;
  }

  /** Java-serializes {@code o}; the message says what to do when it cannot be. */
  static byte[] serialize(Object o) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException("Store-by-value copies keys and values through Java"
          + " serialization, and " + e.getMessage() + " (part of " + o.getClass().getName()
          + ") is not Serializable. Make it Serializable, or configure the cache with"
          + " setStoreByValue(false).", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("Could not serialize a " + o.getClass().getName()
          + " to copy it (store-by-value): " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  /** Reads back what {@link #serialize} wrote, through {@code filter}. */
  static Object deserialize(byte[] bytes, ClassLoader loader, ObjectInputFilter filter) {
    try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes),
        loader)) {
      if (filter != null) {
        in.setObjectInputFilter(filter);
      }
      return in.readObject();
    } catch (InvalidClassException e) {
      throw new CacheException("A cached value could not be deserialized: " + e.getMessage()
          + ". A class refused by the serialization filter? See CachetConfiguration"
          + ".setSerialFilter.", e);
    } catch (IOException e) {
      throw new CacheException("A cached value could not be deserialized: " + e, e);
    } catch (ClassNotFoundException e) {
      throw new CacheException("A cached value's class is not visible to the cache manager's"
          + " class loader: " + e.getMessage(), e);
    }
  }

  /** The filter for a cache: the given pattern, else the JVM-wide filter, else the default. */
  static ObjectInputFilter filter(String pattern) {
    if (pattern != null && !pattern.isBlank()) {
      return ObjectInputFilter.Config.createFilter(pattern);
    }
    ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
    return global != null ? global : DefaultFilterHolder.FILTER;
  }

  private static final class DefaultFilterHolder {
    static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(DEFAULT_FILTER);
  }

  /** Serialized bytes of a value, with the value's hash for cheap inequality. */
  static final class Serialized {
    final byte[] bytes;

    Serialized(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Serialized s && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  private static final class ByReference extends Copier {
    static final ByReference INSTANCE = new ByReference();

    @Override
    Object storeKey(Object key) {
      return key;
    }

    @Override
    Object storeValue(Object value) {
      return value;
    }

    @Override
    Object readValue(Object stored) {
      return stored;
    }

    @Override
    Object readKey(Object storedKey) {
      return storedKey;
    }
  }

  private static final class ByValue extends Copier {
    private final WeakReference<ClassLoader> loader;
    private final ObjectInputFilter filter;

    ByValue(ClassLoader loader, ObjectInputFilter filter) {
      this.loader = new WeakReference<>(loader);
      this.filter = filter;
    }

    private Object copy(Object o) {
      return immutable(o) ? o : deserialize(serialize(o), loader.get(), filter);
    }

    @Override
    Object storeKey(Object key) {
      return copy(key);
    }

    @Override
    Object storeValue(Object value) {
      return immutable(value) ? value : new Serialized(serialize(value));
    }

    @Override
    Object readValue(Object stored) {
      return stored instanceof Serialized s ? deserialize(s.bytes, loader.get(), filter) : stored;
    }

    @Override
    Object readKey(Object storedKey) {
      return copy(storedKey);
    }
  }

  /** Resolves classes through the cache's loader, then the usual way. */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      if (loader != null) {
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
          // Fall back to the stream's default resolution (primitives, the JDK's classes).
        }
      }
      return super.resolveClass(desc);
    }
  }
}
