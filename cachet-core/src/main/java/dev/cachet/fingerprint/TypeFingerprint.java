package dev.cachet.fingerprint;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.GenericSignatureFormatError;
import java.lang.reflect.MalformedParameterizedTypeException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Fingerprints the shape of a type, so that entries stored for an older shape of a function's
 * result type are dropped (a cache miss) rather than failing to decode.
 *
 * <p>The shape is: for a record, its component names and generic types in order; for an enum,
 * its constant names in order; for a sealed type, its permitted subtypes; for another class, its
 * non-static, non-transient fields (superclasses' included) by name, sorted so that reordering
 * declarations changes nothing. Field and component types are followed recursively, type
 * arguments included ({@code List<Foo>} covers {@code Foo}), up to {@value #MAX_DEPTH} levels;
 * a type that refers back to itself is rendered as a back reference, so cycles end. JDK types
 * are not looked into: their name and type arguments stand for them. A non-sealed interface or
 * abstract class is covered by its name and fields only, since its implementations are not
 * known.
 */
public final class TypeFingerprint {

  /** How many levels of nested types are looked into. */
  public static final int MAX_DEPTH = 12;

  // Bounds the work for wide graphs that the depth bound alone would let grow exponentially.
  private static final int MAX_NODES = 2_000;

  // Plain classes are the common case (a record returned by a memoized function), so they are
  // cached; the value is a string, which keeps no class loader alive.
  // Mutation testing only (docs/TESTING.md): with the cache, PIT would credit each class's
  // computation to the first test that asked for it and judge later mutants on cached results.
  private static final boolean UNCACHED = Boolean.getBoolean("cachet.pit.uncached");

  private static final ClassValue<String> CLASSES = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> type) {
      return compute(type);
    }
  };

  private TypeFingerprint() {
  }

  /**
   * The SHA-256 hex fingerprint of a type's shape.
   *
   * @param type a class, or a generic type such as a method's generic return type
   * @return the fingerprint
   */
  public static String of(Type type) {
    Objects.requireNonNull(type, "type");
    return type instanceof Class<?> c && !UNCACHED ? cached(c) : compute(type);
  }

  // Package-private so that tests reach the cache even in runs that switch it off.
  static String cached(Class<?> type) {
    return CLASSES.get(type);
  }

  private static String compute(Type type) {
    Shape shape = new Shape();
    shape.render(type, Map.of(), 0);
    return Sha256.hex(shape.out);
  }

  /** A type variable's binding, with the bindings in force where it was bound. */
  private record Bound(Type type, Map<TypeVariable<?>, Bound> env) {
  }

  private static final class Shape {
    final StringBuilder out = new StringBuilder();
    private final List<String> stack = new ArrayList<>();
    private int nodes;

    void render(Type type, Map<TypeVariable<?>, Bound> env, int depth) {
      if (depth > MAX_DEPTH || ++nodes > MAX_NODES) {
        out.append("deep ").append(name(type, env));
        return;
      }
      if (type instanceof Class<?> c) {
        if (c.isArray()) {
          render(c.getComponentType(), env, depth + 1);
          out.append("[]");
        } else if (c.isPrimitive() || isJdk(c)) {
          out.append(c.getName());
        } else {
          expand(c, Map.of(), c.getName(), depth);
        }
      } else if (type instanceof ParameterizedType p) {
        Class<?> raw = (Class<?>) p.getRawType();
        Type[] args = p.getActualTypeArguments();
        if (isJdk(raw)) {
          out.append(raw.getName()).append('<');
          for (Type arg : args) {
            render(arg, env, depth + 1);
            out.append(',');
          }
          out.append('>');
        } else {
          expand(raw, bind(raw, args, env), name(p, env), depth);
        }
      } else if (type instanceof GenericArrayType g) {
        render(g.getGenericComponentType(), env, depth + 1);
        out.append("[]");
      } else if (type instanceof WildcardType w) {
        out.append('?');
        for (Type upper : w.getUpperBounds()) {
          out.append(" extends ");
          render(upper, env, depth + 1);
        }
        for (Type lower : w.getLowerBounds()) {
          out.append(" super ");
          render(lower, env, depth + 1);
        }
      } else if (type instanceof TypeVariable<?> v) {
        Bound bound = env.get(v);
        if (bound != null) {
          render(bound.type(), bound.env(), depth + 1);
        } else {
          // Unbound (a raw use of a generic class): the variable's name and bounds' names;
          // expanding bounds would loop on F-bounds like <T extends Comparable<T>>.
          out.append("var ").append(name(v, env));
        }
      } else {
        out.append("type ").append(type.getTypeName());
      }
    }

    private static Map<TypeVariable<?>, Bound> bind(Class<?> raw, Type[] args,
        Map<TypeVariable<?>, Bound> env) {
      TypeVariable<?>[] params = raw.getTypeParameters();
      Map<TypeVariable<?>, Bound> bound = new HashMap<>();
      for (int i = 0; i < params.length && i < args.length; i++) {
        bound.put(params[i], new Bound(args[i], env));
      }
      return bound;
    }

    /** Looks into a user type; {@code key} names it with its type arguments, for cycles. */
    private void expand(Class<?> c, Map<TypeVariable<?>, Bound> env, String key, int depth) {
      int seen = stack.indexOf(key);
      if (seen >= 0) {
        // By position on the path, not by name, so the rendering is the same wherever it starts.
        out.append("cycle ").append(seen);
        return;
      }
      stack.add(key);
      if (c.isEnum()) {
        out.append("enum ").append(c.getName()).append('{');
        for (Object constant : c.getEnumConstants()) {
          out.append(((Enum<?>) constant).name()).append(',');
        }
        out.append('}');
      } else if (c.isRecord()) {
        out.append("record ").append(c.getName()).append('(');
        for (RecordComponent rc : c.getRecordComponents()) {
          out.append(rc.getName()).append(':');
          render(genericType(rc), env, depth + 1);
          out.append(',');
        }
        out.append(')');
      } else {
        out.append(c.isInterface() ? "interface " : "class ").append(c.getName()).append('{');
        for (Member member : fields(c, env)) {
          out.append(member.field().getName()).append(':');
          render(genericType(member.field()), member.env(), depth + 1);
          out.append(',');
        }
        out.append('}');
        if (c.isSealed()) {
          out.append(" permits ");
          Class<?>[] permitted = c.getPermittedSubclasses();
          Arrays.sort(permitted, Comparator.comparing(Class::getName));
          for (Class<?> sub : permitted) {
            render(sub, env, depth + 1);
            out.append(',');
          }
        }
      }
      stack.remove(stack.size() - 1);
    }

    private record Member(Field field, Map<TypeVariable<?>, Bound> env, int level) {
    }

    /** Instance state of {@code c} and its user superclasses, sorted by name. */
    private static List<Member> fields(Class<?> c, Map<TypeVariable<?>, Bound> env) {
      List<Member> members = new ArrayList<>();
      Class<?> at = c;
      Map<TypeVariable<?>, Bound> atEnv = env;
      for (int level = 0; at != null && !isJdk(at); level++) {
        for (Field f : at.getDeclaredFields()) {
          int mod = f.getModifiers();
          if (!Modifier.isStatic(mod) && !Modifier.isTransient(mod) && !f.isSynthetic()) {
            members.add(new Member(f, atEnv, level));
          }
        }
        Type sup = at.getGenericSuperclass();
        atEnv = sup instanceof ParameterizedType p
            ? bind((Class<?>) p.getRawType(), p.getActualTypeArguments(), atEnv)
            : Map.of();
        at = at.getSuperclass();
      }
      // A shadowed field keeps its place after the subclass's field of the same name.
      members.sort(Comparator.comparing((Member m) -> m.field().getName())
          .thenComparingInt(Member::level));
      return members;
    }

    /** The type's name with bound variables replaced, used as a cycle key and for cut-offs. */
    private static String name(Type type, Map<TypeVariable<?>, Bound> env) {
      return name(type, env, 0);
    }

    private static String name(Type type, Map<TypeVariable<?>, Bound> env, int depth) {
      if (depth > MAX_DEPTH) {
        return "...";
      }
      if (type instanceof TypeVariable<?> v) {
        Bound bound = env.get(v);
        if (bound != null) {
          return name(bound.type(), bound.env(), depth + 1);
        }
        StringBuilder sb = new StringBuilder(v.getName()).append(" extends ");
        for (Type b : v.getBounds()) {
          sb.append(b.getTypeName()).append('&');
        }
        return sb.toString();
      }
      if (type instanceof ParameterizedType p) {
        StringBuilder sb = new StringBuilder(p.getRawType().getTypeName()).append('<');
        for (Type arg : p.getActualTypeArguments()) {
          sb.append(name(arg, env, depth + 1)).append(',');
        }
        return sb.append('>').toString();
      }
      if (type instanceof GenericArrayType g) {
        return name(g.getGenericComponentType(), env, depth + 1) + "[]";
      }
      if (type instanceof WildcardType w) {
        StringBuilder sb = new StringBuilder("?");
        for (Type upper : w.getUpperBounds()) {
          sb.append(" extends ").append(name(upper, env, depth + 1));
        }
        for (Type lower : w.getLowerBounds()) {
          sb.append(" super ").append(name(lower, env, depth + 1));
        }
        return sb.toString();
      }
      return type.getTypeName();
    }

    private static Type genericType(Field f) {
      try {
        return f.getGenericType();
      } catch (GenericSignatureFormatError | TypeNotPresentException
          | MalformedParameterizedTypeException e) {
        return f.getType();
      }
    }

    private static Type genericType(RecordComponent rc) {
      try {
        return rc.getGenericType();
      } catch (GenericSignatureFormatError | TypeNotPresentException
          | MalformedParameterizedTypeException e) {
        return rc.getType();
      }
    }
  }

  private static boolean isJdk(Class<?> c) {
    ClassLoader loader = c.getClassLoader();
    return loader == null || loader == ClassLoader.getPlatformClassLoader();
  }
}
