package dev.cachet.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Code whose bytecode cannot be read has no fingerprint, and the reason tells the user to give
 * a version instead: never a fingerprint of something else, never an exception.
 */
class UnreadableCodeTest {
  /** A class whose bytes the tests define again in other ways. */
  static final class Doubler {
    int twice(int x) {
      return 2 * x;
    }
  }

  private static byte[] bytesOf(Class<?> type) throws IOException {
    String resource = type.getName().replace('.', '/') + ".class";
    try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }

  /** Defines classes from bytes and serves {@code resourceBytes} (null: none) for them. */
  private static final class BytesLoader extends ClassLoader {
    private final byte[] resourceBytes;

    BytesLoader(byte[] resourceBytes) {
      super(UnreadableCodeTest.class.getClassLoader());
      this.resourceBytes = resourceBytes;
    }

    Class<?> define(byte[] bytes) {
      return defineClass(null, bytes, 0, bytes.length);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      return resourceBytes == null ? null : new ByteArrayInputStream(resourceBytes);
    }
  }

  /** Defines classes from bytes; reading their class file fails midway. */
  private static final class FailingLoader extends ClassLoader {
    FailingLoader() {
      super(UnreadableCodeTest.class.getClassLoader());
    }

    Class<?> define(byte[] bytes) {
      return defineClass(null, bytes, 0, bytes.length);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      return new InputStream() {
        @Override
        public int read() throws IOException {
          throw new IOException("disk gone");
        }
      };
    }
  }

  /** A class of the same name with other methods: what a stale jar next to the class serves. */
  static final class Other {
    int thrice(int x) {
      return 3 * x;
    }
  }

  private static void assertUnknown(Fingerprint fingerprint, String why) {
    assertThat(fingerprint.isKnown()).isFalse();
    assertThat(fingerprint.value()).isNull();
    assertThat(fingerprint.reason()).contains("Cannot fingerprint the code of").contains(why)
        .contains(".version(");
  }

  @Test
  void aMethodOfARuntimeProxyHasNoFingerprint() throws Exception {
    Object proxy = Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {IntUnaryOperator.class}, (p, m, args) -> 0);
    Method method = proxy.getClass().getMethod("applyAsInt", int.class);

    assertUnknown(CodeFingerprint.fingerprint(method), "proxy generated at run time");
  }

  @Test
  void aClassWhoseLoaderServesNoBytecodeHasNoFingerprint() throws Exception {
    Class<?> defined = new BytesLoader(null).define(bytesOf(Doubler.class));
    Method method = defined.getDeclaredMethod("twice", int.class);

    assertUnknown(CodeFingerprint.fingerprint(method), "cannot be read from its class loader");
  }

  @Test
  void aClassWhoseServedBytecodeIsDamagedHasNoFingerprint() throws Exception {
    byte[] damaged = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 99, 1, 2};
    Class<?> defined = new BytesLoader(damaged).define(bytesOf(Doubler.class));
    Method method = defined.getDeclaredMethod("twice", int.class);

    assertUnknown(CodeFingerprint.fingerprint(method), "ASM cannot read the bytecode");
  }

  @Test
  void aClassWhoseBytecodeFailsToReadHasNoFingerprint() throws Exception {
    Class<?> defined = new FailingLoader().define(bytesOf(Doubler.class));
    Method method = defined.getDeclaredMethod("twice", int.class);

    assertUnknown(CodeFingerprint.fingerprint(method), "failed: java.io.IOException: disk gone");
  }

  @Test
  void aMethodMissingFromTheServedClassFileHasNoFingerprint() throws Exception {
    Class<?> defined = new BytesLoader(bytesOf(Other.class)).define(bytesOf(Doubler.class));
    Method method = defined.getDeclaredMethod("twice", int.class);

    assertUnknown(CodeFingerprint.fingerprint(method), "it is missing from the class file");
  }

  @Test
  void aHiddenClassHasNoFingerprint() throws Exception {
    Class<?> hidden = MethodHandles.lookup().defineHiddenClass(bytesOf(Doubler.class), false)
        .lookupClass();
    Method method = hidden.getDeclaredMethod("twice", int.class);

    assertUnknown(CodeFingerprint.fingerprint(method), "hidden class");
  }

  @Test
  void theSameCodeReadFromItsOwnLoaderHasOne() throws Exception {
    Method method = Doubler.class.getDeclaredMethod("twice", int.class);
    assertThat(CodeFingerprint.fingerprint(method).isKnown()).isTrue();
  }
}
