package dev.cachet.memo;

import dev.cachet.Memoize;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Dispatches calls on a proxy of an interface: methods annotated with {@link Memoize} go
 * through their own cache, the others straight to the implementation. Internal.
 *
 * <p>Un-annotated default methods that the implementation does not override run with the proxy
 * as {@code this}, so their calls to annotated methods are cached too.
 */
final class MemoProxy implements InvocationHandler {
  private final Object impl;
  private final Map<Method, MethodMemo> memos;

  private record MethodMemo(MemoCache cache, KeyPlan keys) {
  }

  private MemoProxy(Object impl, Map<Method, MethodMemo> memos) {
    this.impl = impl;
    this.memos = memos;
  }

  /** Creates the proxy; {@code factory} builds one cache per annotated method. */
  static <T> T create(Class<T> iface, T impl, MemoFactory factory) {
    if (!iface.isInterface()) {
      throw new IllegalArgumentException("proxy(...) needs an interface; " + iface.getName()
          + " is a class. Extract an interface, or memoize its methods with memoize(...).");
    }
    if (!iface.isInstance(impl)) {
      throw new IllegalArgumentException("proxy(" + iface.getSimpleName() + ", impl): impl is a "
          + impl.getClass().getName() + ", which does not implement " + iface.getName() + ".");
    }
    Map<Method, MethodMemo> memos = new HashMap<>();
    for (Method m : iface.getMethods()) {
      Memoize annotation = m.getAnnotation(Memoize.class);
      if (annotation == null) {
        continue;
      }
      if (m.getReturnType() == void.class) {
        throw new IllegalArgumentException("@Memoize on " + iface.getSimpleName() + "."
            + m.getName() + ": the method returns void, so there is nothing to cache. Remove"
            + " the annotation.");
      }
      String name = cacheName(iface, m, annotation);
      CacheConfig config = factory.configFor(name, annotation);
      List<String> names = parameterNames(m);
      KeyPlan keys = KeyPlan.of(name, config, m.getParameterCount(), names);
      memos.put(m, new MethodMemo(
          factory.newCache(name, config, implementation(impl, m), m.getGenericReturnType()), keys));
    }
    Object proxy = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
        new MemoProxy(impl, Map.copyOf(memos)));
    return iface.cast(proxy);
  }

  /** The implementation's own method for {@code m}, whose code identifies its results. */
  private static Method implementation(Object impl, Method m) {
    try {
      return impl.getClass().getMethod(m.getName(), m.getParameterTypes());
    } catch (NoSuchMethodException e) {
      return m;
    }
  }

  private static String cacheName(Class<?> iface, Method m, Memoize annotation) {
    if (!annotation.name().isEmpty()) {
      return annotation.name();
    }
    String base = iface.getSimpleName() + "." + m.getName();
    long overloads = Arrays.stream(iface.getMethods()).filter(o -> o.getName().equals(m.getName())).count();
    if (overloads > 1) {
      base += Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
          .collect(Collectors.joining(",", "(", ")"));
    }
    return base;
  }

  private static List<String> parameterNames(Method m) {
    List<String> names = new ArrayList<>();
    for (Parameter p : m.getParameters()) {
      if (!p.isNamePresent()) {
        return null;
      }
      names.add(p.getName());
    }
    return names;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    Object[] a = args == null ? new Object[0] : args;
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == a[0] || isProxyOf(a[0], impl);
        case "hashCode" -> impl.hashCode();
        case "toString" -> impl.toString();
        default -> invokeImpl(method, a);
      };
    }
    MethodMemo memo = memos.get(method);
    if (memo != null) {
      Object key = memo.keys.key(a);
      Object stored = memo.cache.probe(key);
      if (stored != null) {
        return memo.cache.refreshes() ? memo.cache.serve(key, stored, () -> invokeImpl(method, a))
            : memo.cache.unwrap(stored);
      }
      return memo.cache.miss(key, () -> invokeImpl(method, a));
    }
    if (method.isDefault() && !overriddenByImpl(method)) {
      return InvocationHandler.invokeDefault(proxy, method, a);
    }
    return invokeImpl(method, a);
  }

  private static boolean isProxyOf(Object other, Object impl) {
    return other != null && Proxy.isProxyClass(other.getClass())
        && Proxy.getInvocationHandler(other) instanceof MemoProxy h && h.impl.equals(impl);
  }

  private boolean overriddenByImpl(Method method) {
    try {
      Method actual = impl.getClass().getMethod(method.getName(), method.getParameterTypes());
      return !actual.getDeclaringClass().isInterface();
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private Object invokeImpl(Method method, Object[] args) throws Throwable {
    try {
      if (!method.canAccess(impl)) {
        method.setAccessible(true);
      }
      return method.invoke(impl, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
