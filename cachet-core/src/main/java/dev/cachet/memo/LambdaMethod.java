package dev.cachet.memo;

import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The method a serializable lambda or method reference stands for, read from the
 * {@link SerializedLambda} the compiler generates for it. Internal.
 *
 * @param lambda the serialized form
 * @param method the implementation method, or null for constructor references
 * @param parameterNames the names of the functional parameters, in order, or null when the code
 *     was compiled without {@code -parameters}
 */
public record LambdaMethod(SerializedLambda lambda, Executable method, List<String> parameterNames) {

  /**
   * Reads the lambda behind {@code function}; empty when it is not a serializable lambda or
   * method reference (an ordinary object implementing the interface, say).
   *
   * @param function the function object
   * @param arity how many parameters the functional interface has
   */
  public static Optional<LambdaMethod> of(Object function, int arity) {
    if (!(function instanceof Serializable)) {
      return Optional.empty();
    }
    SerializedLambda sl;
    try {
      Method writeReplace = function.getClass().getDeclaredMethod("writeReplace");
      writeReplace.setAccessible(true);
      Object replaced = writeReplace.invoke(function);
      if (!(replaced instanceof SerializedLambda s)) {
        return Optional.empty();
      }
      sl = s;
    } catch (ReflectiveOperationException | RuntimeException notALambda) {
      return Optional.empty();
    }
    Executable impl = findImplementation(sl, function.getClass().getClassLoader());
    return Optional.of(new LambdaMethod(sl, impl, functionalNames(sl, impl, arity)));
  }

  /** {@code pkg.Class.method}, for messages. */
  public String describe() {
    return sl().getImplClass().replace('/', '.') + "." + sl().getImplMethodName();
  }

  private SerializedLambda sl() {
    return lambda;
  }

  private static Executable findImplementation(SerializedLambda sl, ClassLoader loader) {
    try {
      Class<?> owner = Class.forName(sl.getImplClass().replace('/', '.'), false, loader);
      MethodType type = MethodType.fromMethodDescriptorString(sl.getImplMethodSignature(), loader);
      if (sl.getImplMethodName().equals("<init>")) {
        return owner.getDeclaredConstructor(type.parameterArray());
      }
      return owner.getDeclaredMethod(sl.getImplMethodName(), type.parameterArray());
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static List<String> functionalNames(SerializedLambda sl, Executable impl, int arity) {
    if (impl == null) {
      return null;
    }
    List<String> names = new ArrayList<>();
    int kind = sl.getImplMethodKind();
    boolean instanceImpl = kind == MethodHandleInfo.REF_invokeVirtual
        || kind == MethodHandleInfo.REF_invokeInterface
        || kind == MethodHandleInfo.REF_invokeSpecial;
    if (instanceImpl && sl.getCapturedArgCount() == 0) {
      // An unbound method reference such as String::length: the receiver is the first argument.
      names.add("this");
    }
    for (Parameter p : impl.getParameters()) {
      if (!p.isNamePresent()) {
        return null;
      }
      names.add(p.getName());
    }
    if (names.size() < arity) {
      return null;
    }
    // Captured variables come first in a lambda's implementation method; the call's own
    // parameters are the last ones.
    return List.copyOf(names.subList(names.size() - arity, names.size()));
  }
}
