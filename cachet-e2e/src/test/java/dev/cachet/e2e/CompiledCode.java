package dev.cachet.e2e;

import dev.cachet.fingerprint.TestCompiler;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One compiled version of a small program, loaded by a class loader of its own, as a new build
 * of the user's code would be. Each program's entry class has a static {@code fn()} returning
 * the function to memoize (a serializable method reference, so Cachet can fingerprint its code)
 * and a static {@code CALLS} counter.
 */
final class CompiledCode {
  private final URLClassLoader loader;
  private final Class<?> entry;

  private CompiledCode(URLClassLoader loader, Class<?> entry) {
    this.loader = loader;
    this.entry = entry;
  }

  /** Compiles {@code sources} (path to text) into a fresh folder under {@code root}. */
  static CompiledCode compile(Path root, String entryClass, Map<String, String> sources) {
    URLClassLoader loader = TestCompiler.compile(root, sources, true);
    try {
      return new CompiledCode(loader, loader.loadClass(entryClass));
    } catch (ClassNotFoundException e) {
      throw new AssertionError(entryClass + " was not compiled", e);
    }
  }

  /** The function to memoize. */
  @SuppressWarnings("unchecked")
  <A, R> Function<A, R> function() {
    try {
      return (Function<A, R>) entry.getMethod("fn").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("no static fn() on " + entry, e);
    }
  }

  /** How many times this version's function body ran. */
  int calls() {
    try {
      return ((AtomicInteger) entry.getField("CALLS").get(null)).get();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("no static CALLS on " + entry, e);
    }
  }

  /** A class of this version. */
  Class<?> loadClass(String name) {
    try {
      return loader.loadClass(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(name + " was not compiled", e);
    }
  }

  /** The folder of compiled classes, for a child JVM's class path. */
  Path classes() {
    URL url = loader.getURLs()[0];
    return Path.of(java.net.URI.create(url.toString()));
  }
}
