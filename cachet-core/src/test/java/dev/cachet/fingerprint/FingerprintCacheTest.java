package dev.cachet.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-class caches answer what a fresh computation answers, and answer it once: a cache that
 * returned nothing, an empty value or a new object on each call would change keys or cost a
 * class-file read per call. Called directly, because mutation runs switch the caches off on the
 * public path (docs/TESTING.md, "Classes that cache per class"); each test compiles a class of
 * its own, so no earlier test has filled the cache for it.
 */
class FingerprintCacheTest {
  @TempDir
  Path dir;

  private Class<?> freshClass() throws Exception {
    return TestCompiler.compile(dir, Map.of("p/Doubler.java",
        "package p; public record Doubler(int x) { public int twice() { return 2 * x; } }"),
        false).loadClass("p.Doubler");
  }

  @Test
  void aCachedTypeFingerprintIsTheComputedOneAndStaysTheSameObject() throws Exception {
    Class<?> type = freshClass();

    String cached = TypeFingerprint.cached(type);

    assertThat(cached).hasSize(64).isEqualTo(TypeFingerprint.of(type));
    assertThat(TypeFingerprint.cached(type)).isSameAs(cached);
  }

  @Test
  void aCachedCodeFingerprintIsTheComputedOneAndStaysTheSameObject() throws Exception {
    Class<?> type = freshClass();

    Fingerprint cached = CodeFingerprint.cached(type, "twice", "()I");

    assertThat(cached.isKnown()).isTrue();
    assertThat(cached).isEqualTo(CodeFingerprint.fingerprint(type.getMethod("twice")));
    assertThat(CodeFingerprint.cached(type, "twice", "()I")).isSameAs(cached);
  }

  @Test
  void theCachedBytecodeOfAClassIsReadOnceAndHoldsItsMethods() throws Exception {
    Class<?> type = freshClass();

    ClassCode code = CodeFingerprint.cachedCode(type);

    assertThat(code.problem).isNull();
    assertThat(code.method("twice", "()I")).isNotNull();
    assertThat(CodeFingerprint.cachedCode(type)).isSameAs(code);
  }

  @Test
  void ofAMethodGivesItsFingerprintOrThrowsTheReason() throws Exception {
    Class<?> type = freshClass();

    assertThat(CodeFingerprint.of(type.getMethod("twice")))
        .isEqualTo(CodeFingerprint.fingerprint(type.getMethod("twice")).value());
    // A native method has no bytecode, so no fingerprint.
    assertThatThrownBy(
        () -> CodeFingerprint.of(Object.class.getMethod("hashCode")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot fingerprint the code of java.lang.Object.hashCode");
  }
}
