package dev.cachet.e2e;

import dev.cachet.Cachet;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A second process of the user's program: loads one compiled version, memoizes its function
 * over one tier, calls it once and prints what it got and whether the body ran.
 *
 * <p>Arguments: classes folder, entry class, tier ({@code DISK} or {@code REDIS}), the tier's
 * location, the function's name, the input.
 */
public final class FunctionChild {

  private FunctionChild() {
  }

  /** Runs the call described by the arguments and prints {@code result=...} and {@code calls=...}. */
  public static void main(String[] args) throws Exception {
    URL classes = Path.of(args[0]).toUri().toURL();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes},
        FunctionChild.class.getClassLoader())) {
      Class<?> entry = loader.loadClass(args[1]);
      @SuppressWarnings("unchecked")
      Function<Object, Object> fn = (Function<Object, Object>) entry.getMethod("fn").invoke(null);
      Object result;
      try (Cachet cachet = Tier.valueOf(args[2]).builder(args[3]).build()) {
        result = cachet.memoize(args[4], fn).apply(args[5]);
      }
      System.out.println("result=" + result);
      System.out.println("calls=" + ((AtomicInteger) entry.getField("CALLS").get(null)).get());
    }
  }
}
