package dev.cachet.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A field or record component whose generic type names a class missing at run time (a
 * dependency left off the class path) is fingerprinted by its erased type: the result type still
 * gets a namespace, and the call does not fail with {@code TypeNotPresentException}.
 */
class MissingGenericTypeTest {
  @TempDir
  Path dir;

  private static final String MISSING = "package p; public class Missing {}";

  private URLClassLoader compileWithout(Map<String, String> sources, String missing)
      throws Exception {
    URLClassLoader loader = TestCompiler.compile(dir, sources, false);
    Path classes = Path.of(loader.getURLs()[0].toURI());
    Files.delete(classes.resolve(missing));
    return loader;
  }

  @Test
  void aFieldOfAMissingGenericTypeIsFingerprintedByItsErasure() throws Exception {
    URLClassLoader broken = compileWithout(Map.of(
        "p/Missing.java", MISSING,
        "p/Holder.java", "package p; public class Holder { java.util.List<Missing> items; }"),
        "p/Missing.class");
    URLClassLoader erased = TestCompiler.compile(dir, Map.of(
        "p/Holder.java", "package p; public class Holder { java.util.List items; }"), false);

    assertThat(TypeFingerprint.of(broken.loadClass("p.Holder")))
        .isEqualTo(TypeFingerprint.of(erased.loadClass("p.Holder")));
  }

  @Test
  void aRecordComponentOfAMissingGenericTypeIsFingerprintedByItsErasure() throws Exception {
    URLClassLoader broken = compileWithout(Map.of(
        "p/Missing.java", MISSING,
        "p/Row.java", "package p; public record Row(java.util.List<Missing> items) {}"),
        "p/Missing.class");
    URLClassLoader erased = TestCompiler.compile(dir, Map.of(
        "p/Row.java", "package p; public record Row(java.util.List items) {}"), false);

    assertThat(TypeFingerprint.of(broken.loadClass("p.Row")))
        .isEqualTo(TypeFingerprint.of(erased.loadClass("p.Row")));
  }
}
