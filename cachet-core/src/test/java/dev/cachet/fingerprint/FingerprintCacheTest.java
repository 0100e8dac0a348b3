package dev.cachet.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Type;

/**
 * The per-class caches answer what a fresh computation answers, and answer it once: a cache that
 * returned another class's result, an empty one or a new one on each call would change keys or
 * cost a class-file read per call. Called directly, because mutation runs switch the caches off
 * on the public path (docs/TESTING.md, "Classes that cache per class").
 */
class FingerprintCacheTest {
  record Shape(String name, int sides) {
  }

  static final class Doubler {
    int twice(int x) {
      return 2 * x;
    }
  }

  @Test
  void aCachedTypeFingerprintIsTheComputedOneAndStaysTheSameObject() {
    String cached = TypeFingerprint.cached(Shape.class);

    assertThat(cached).isEqualTo(TypeFingerprint.of(Shape.class)).hasSize(64);
    assertThat(TypeFingerprint.cached(Shape.class)).isSameAs(cached);
    assertThat(TypeFingerprint.cached(Doubler.class)).isNotEqualTo(cached);
  }

  @Test
  void aCachedCodeFingerprintIsTheComputedOneAndStaysTheSameObject() throws Exception {
    Method twice = Doubler.class.getDeclaredMethod("twice", int.class);
    String desc = Type.getMethodDescriptor(twice);

    Fingerprint cached = CodeFingerprint.cached(Doubler.class, "twice", desc);

    assertThat(cached.isKnown()).isTrue();
    assertThat(cached).isEqualTo(CodeFingerprint.fingerprint(twice));
    assertThat(CodeFingerprint.cached(Doubler.class, "twice", desc)).isSameAs(cached);
  }

  @Test
  void theCachedBytecodeOfAClassIsReadOnceAndHoldsItsMethods() {
    ClassCode code = CodeFingerprint.cachedCode(Doubler.class);

    assertThat(code.problem).isNull();
    assertThat(code.method("twice", "(I)I")).isNotNull();
    assertThat(CodeFingerprint.cachedCode(Doubler.class)).isSameAs(code);
  }
}
