package dev.cachet.fingerprint;

import dev.cachet.memo.LambdaMethod;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.Type;

/**
 * Fingerprints a function's code, so that a persistent cache can tell when the function it
 * holds results for has changed.
 *
 * <p>The fingerprint is the SHA-256 of the method's instructions as ASM reads them without debug
 * information or stack map frames: opcodes, operands, the owners, names and descriptors of
 * the fields and methods referred to, constants, and the try/catch structure, with jump targets
 * numbered in order of appearance. So recompiling, reformatting, editing comments, renaming
 * local variables, moving the method within its file or adding unrelated methods keep it; any
 * change to what the body does changes it.
 *
 * <p>Unlike a fingerprint of the method alone, it also covers the code the method calls in its
 * own class and package (same class loader), up to {@value #MAX_DEPTH} calls deep and
 * {@value #MAX_METHODS} methods in all, and the bodies of the lambdas it creates. Lambda bodies
 * are included by content rather than by their synthetic names, which javac renumbers whenever
 * a lambda is added elsewhere in the class.
 *
 * <p>Not detected: changes in code of other packages or libraries (only the names and
 * descriptors of the methods called are covered), in the bodies of methods reached only through
 * dynamic dispatch to another class (an overriding method, an interface implementation, an
 * anonymous class's methods), in field values, static initializers or configuration read at run
 * time, and in values a lambda captures. Users guard against those with a version.
 */
public final class CodeFingerprint {

  /** How many calls deep same-package callees are followed. */
  public static final int MAX_DEPTH = 3;

  /** How many methods, the function's own included, one fingerprint covers at most. */
  public static final int MAX_METHODS = 64;

  private static final String ADVICE = " Its cached results cannot be dropped automatically"
      + " when its code changes: give it a version with .version(...) (or"
      + " @Memoize(version = ...)) and change the version whenever the code changes.";

  // Mutation testing only (docs/TESTING.md): with the cache, PIT would credit each class's
  // computation to the first test that asked for it and judge later mutants on cached results.
  private static final boolean UNCACHED = Boolean.getBoolean("cachet.pit.uncached");

  private static final ClassValue<ClassCode> CODE = new ClassValue<>() {
    @Override
    protected ClassCode computeValue(Class<?> type) {
      return ClassCode.read(type);
    }
  };

  // Keyed by method name + descriptor within each class; values are strings only, so the
  // ClassValue keeps no loader alive.
  private static final ClassValue<ConcurrentHashMap<String, Fingerprint>> RESULTS =
      new ClassValue<>() {
        @Override
        protected ConcurrentHashMap<String, Fingerprint> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  private CodeFingerprint() {
  }

  private static ClassCode code(Class<?> type) {
    return UNCACHED ? ClassCode.read(type) : cachedCode(type);
  }

  // Package-private, like cached(...), so tests reach the cache in runs that switch it off.
  static ClassCode cachedCode(Class<?> type) {
    return CODE.get(type);
  }

  /**
   * The fingerprint of a serializable lambda or method reference's code.
   *
   * @param function a lambda or method reference whose functional interface is
   *     {@link java.io.Serializable}, such as {@link dev.cachet.SerializableFunction}
   * @param arity how many parameters the functional interface has
   * @return the SHA-256 hex fingerprint, or empty when it cannot be computed (see
   *     {@link #fingerprint(Object, int)} for why)
   */
  public static Optional<String> of(Object function, int arity) {
    return fingerprint(function, arity).toOptional();
  }

  /**
   * Why a lambda of {@code type} cannot be read on the module path, or null: its serialized form
   * is reached through a private method, which a module that does not open the package refuses.
   * Without this, the user would be told the lambda is not serializable, when it is.
   */
  private static String closedModule(Class<?> type) {
    return closedModule(CodeFingerprint.class.getModule(), type);
  }

  // Takes the reading module as a parameter so that tests on the class path, where Cachet's own
  // module is unnamed, can check the rule with two named platform modules.
  static String closedModule(Module core, Class<?> type) {
    Module module = type.getModule();
    String pkg = type.getPackageName();
    if (!core.isNamed() || !module.isNamed() || module.isOpen(pkg, core)
        || !java.io.Serializable.class.isAssignableFrom(type)) {
      return null;
    }
    return "Cannot fingerprint the code of " + type.getName() + ": its package " + pkg
        + " (module " + module.getName() + ") is not open to " + core.getName() + ", which"
        + " reads memoized lambdas reflectively. Add 'opens " + pkg + " to " + core.getName()
        + ";' to the descriptor of " + module.getName() + ".";
  }

  /**
   * The fingerprint of a serializable lambda or method reference's code, or why there is none.
   *
   * @param function a lambda or method reference whose functional interface is
   *     {@link java.io.Serializable}
   * @param arity how many parameters the functional interface has
   * @return the fingerprint, or the reason (which tells the user to give a version)
   */
  public static Fingerprint fingerprint(Object function, int arity) {
    Objects.requireNonNull(function, "function");
    Optional<LambdaMethod> lambda = LambdaMethod.of(function, arity);
    if (lambda.isEmpty()) {
      String closed = closedModule(function.getClass());
      if (closed != null) {
        return Fingerprint.unknown(closed + ADVICE);
      }
      return Fingerprint.unknown("Cannot fingerprint the code of " + function.getClass().getName()
          + ": it is not a serializable lambda or method reference, so Cachet cannot see which"
          + " method it runs. Pass a lambda or method reference directly to memoize (its target"
          + " type must be Serializable, like SerializableFunction)." + ADVICE);
    }
    Executable method = lambda.get().method();
    if (method == null) {
      return Fingerprint.unknown("Cannot fingerprint the code of " + lambda.get().describe()
          + ": its implementation method cannot be found." + ADVICE);
    }
    return fingerprint(method);
  }

  /**
   * The fingerprint of a method's code, for a proxied interface's implementation method.
   *
   * @param method a method with bytecode (not abstract or native) in a class whose class file
   *     its class loader can supply
   * @return the SHA-256 hex fingerprint
   * @throws IllegalArgumentException when it cannot be computed; the message says why and tells
   *     the user to give a version
   */
  public static String of(Method method) {
    return fingerprint(method).orElseThrow();
  }

  /**
   * The fingerprint of a method's or constructor's code, or why there is none. Computed once
   * per method, then cached.
   *
   * @param method the method or constructor
   * @return the fingerprint, or the reason (which tells the user to give a version)
   */
  public static Fingerprint fingerprint(Executable method) {
    Objects.requireNonNull(method, "method");
    Class<?> owner = method.getDeclaringClass();
    String name = method instanceof Constructor ? "<init>" : method.getName();
    String desc = method instanceof Method m
        ? Type.getMethodDescriptor(m)
        : Type.getConstructorDescriptor((Constructor<?>) method);
    return UNCACHED ? compute(owner, name, desc) : cached(owner, name, desc);
  }

  static Fingerprint cached(Class<?> owner, String name, String desc) {
    ConcurrentHashMap<String, Fingerprint> results = RESULTS.get(owner);
    Fingerprint known = results.get(name + desc);
    if (known != null) {
      return known;
    }
    // Not computeIfAbsent: computing loads classes, which must not happen under a map lock.
    Fingerprint computed = compute(owner, name, desc);
    Fingerprint raced = results.putIfAbsent(name + desc, computed);
    return raced != null ? raced : computed;
  }

  private static Fingerprint compute(Class<?> owner, String name, String desc) {
    String what = owner.getName() + "." + name + Type.getMethodType(desc).toString();
    if (Proxy.isProxyClass(owner)) {
      return Fingerprint.unknown("Cannot fingerprint the code of " + what + ": it belongs to a"
          + " proxy generated at run time; fingerprint the implementation's method instead."
          + ADVICE);
    }
    ClassCode code = code(owner);
    if (code.problem != null) {
      return Fingerprint.unknown("Cannot fingerprint the code of " + what + ": " + code.problem
          + "." + ADVICE);
    }
    ClassCode.MethodCode root = code.method(name, desc);
    if (root == null) {
      return Fingerprint.unknown("Cannot fingerprint the code of " + what + ": it is missing from"
          + " the class file its class loader supplies." + ADVICE);
    }
    if (!root.hasCode()) {
      return Fingerprint.unknown("Cannot fingerprint the code of " + what + ": it is abstract or"
          + " native, so it has no bytecode; fingerprint the implementing method instead."
          + ADVICE);
    }
    return Fingerprint.known(new Walk(owner).hash(code, root, 0));
  }

  /** One fingerprint's traversal of the call graph, depth-first in order of appearance. */
  private static final class Walk {
    private final ClassLoader loader;
    private final String pkg;
    private final boolean followCalls;
    private final List<String> stack = new ArrayList<>();
    private int budget = MAX_METHODS - 1;

    Walk(Class<?> root) {
      this.loader = root.getClassLoader();
      this.pkg = ClassCode.packageOf(root.getName().replace('.', '/'));
      // A method reference to the JDK itself (String::length): its package is not the user's
      // code, and following it would only hash JDK internals.
      this.followCalls = loader != null && loader != ClassLoader.getPlatformClassLoader();
    }

    String hash(ClassCode cls, ClassCode.MethodCode method, int depth) {
      StringBuilder text = new StringBuilder(method.rendering());
      String self = cls.internalName + "." + method.name() + method.desc();
      stack.add(self);
      List<ClassCode.Ref> refs = method.refs();
      for (int i = 0; i < refs.size(); i++) {
        ClassCode.Ref ref = refs.get(i);
        if (!followCalls || !ClassCode.packageOf(ref.owner()).equals(pkg)) {
          continue;
        }
        // A lambda body is part of the function's own code, so it does not use up depth.
        boolean lambda = ref.owner().equals(cls.internalName) && ClassCode.isLambdaBody(ref.name());
        int next = lambda ? depth : depth + 1;
        if (next > MAX_DEPTH) {
          continue;
        }
        text.append("\ncallee ").append(i).append(' ');
        String key = ref.owner() + "." + ref.name() + ref.desc();
        int onStack = stack.indexOf(key);
        if (onStack >= 0) {
          // Recursion: refer to the frame by its position, which does not depend on names.
          text.append("cycle ").append(onStack);
          continue;
        }
        Resolved target = resolve(ref);
        if (target == null) {
          text.append("unresolved");
        } else if (!target.method().hasCode()) {
          text.append("abstract");
        } else if (budget <= 0) {
          text.append("over budget");
        } else {
          budget--;
          text.append(hash(target.cls(), target.method(), next));
          if (ref.name().equals("<init>") && ClassCode.isAnonymousOrLocal(ref.owner())) {
            // Creating an anonymous or local class is how its code gets used: its methods are
            // called later through an interface, which the walk cannot follow, so take them all.
            appendMembers(text, target.cls(), next);
          }
        }
      }
      stack.remove(stack.size() - 1);
      return Sha256.hex(text);
    }

    private void appendMembers(StringBuilder text, ClassCode cls, int depth) {
      for (ClassCode.MethodCode member : cls.methodsInOrder()) {
        String key = cls.internalName + "." + member.name() + member.desc();
        // Constructors were just hashed; lambda bodies come with the methods that create them.
        if (member.name().equals("<init>") || ClassCode.isLambdaBody(member.name())
            || stack.contains(key)) {
          continue;
        }
        text.append("\nmember ").append(member.name()).append(member.desc()).append(' ');
        if (budget <= 0) {
          text.append("over budget");
        } else {
          budget--;
          text.append(hash(cls, member, depth));
        }
      }
    }

    private record Resolved(ClassCode cls, ClassCode.MethodCode method) {
    }

    private Resolved resolve(ClassCode.Ref ref) {
      String owner = ref.owner();
      // Walk up the superclasses in this package: a call may name a subclass that inherits
      // the method.
      for (int hops = 0; hops < 8 && owner != null
          && ClassCode.packageOf(owner).equals(pkg); hops++) {
        ClassCode cls = load(owner);
        if (cls == null) {
          return null;
        }
        ClassCode.MethodCode method = cls.method(ref.name(), ref.desc());
        if (method != null) {
          return new Resolved(cls, method);
        }
        owner = cls.superName;
      }
      return null;
    }

    private ClassCode load(String internalName) {
      Class<?> type;
      try {
        // Not initialized: fingerprinting must not run the user's static initializers.
        type = Class.forName(internalName.replace('/', '.'), false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        return null;
      }
      if (type.getClassLoader() != loader) {
        // Same package name, different runtime package: not the user's helper.
        return null;
      }
      ClassCode code = code(type);
      return code.problem == null ? code : null;
    }
  }
}
