package dev.cachet.fingerprint;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles source files at test time into a fresh folder, loaded by a class loader of its own. */
public final class TestCompiler {

  private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

  private TestCompiler() {
  }

  /**
   * Compiles {@code sources} (path such as {@code p/Calc.java} to text).
   *
   * @param debug true for {@code -g} (lines, variables, source), false for {@code -g:none}
   */
  public static URLClassLoader compile(Path root, Map<String, String> sources, boolean debug) {
    try {
      Path src = Files.createTempDirectory(root, "src");
      Path out = Files.createTempDirectory(root, "classes");
      List<Path> files = new ArrayList<>();
      for (Map.Entry<String, String> e : sources.entrySet()) {
        Path file = src.resolve(e.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, e.getValue());
        files.add(file);
      }
      StringWriter messages = new StringWriter();
      try (StandardJavaFileManager fm = JAVAC.getStandardFileManager(null, null, null)) {
        Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
        List<String> options = List.of(debug ? "-g" : "-g:none", "-proc:none", "-d",
            out.toString());
        Boolean ok = JAVAC.getTask(messages, fm, null, options, null, units).call();
        if (!ok) {
          throw new AssertionError("compilation failed:\n" + messages);
        }
      }
      return new URLClassLoader(new URL[] {out.toUri().toURL()},
          TestCompiler.class.getClassLoader());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The code fingerprint of {@code cls}.{@code method}, loaded by {@code loader}. */
  public static String fingerprint(ClassLoader loader, String cls, String method) {
    try {
      Class<?> type = loader.loadClass(cls);
      java.lang.reflect.Method m = java.util.Arrays.stream(type.getDeclaredMethods())
          .filter(x -> x.getName().equals(method))
          .findFirst().orElseThrow(() -> new AssertionError("no method " + method + " in " + cls));
      return CodeFingerprint.of(m);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
