package dev.cachet.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A dynamically computed constant ({@code ldc} of a {@code CONSTANT_Dynamic}) is part of the
 * code: javac does not emit one for ordinary Java, but other compilers and bytecode tools do, and
 * an edit to its bootstrap arguments changes what the method returns. The class is written with
 * ASM and served by its own loader, as a class file on disk would be.
 */
class ConstantDynamicCodeTest {
  private static final String NAME = "dev/cachet/fingerprint/generated/Answer";

  /** {@code static Object answer()} returning {@code Integer.valueOf(argument)} as a condy. */
  private static byte[] answerClass(int argument) {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, NAME, null, "java/lang/Object",
        null);
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "answer",
        "()Ljava/lang/Object;", null, null);
    mv.visitCode();
    Handle invoke = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/ConstantBootstraps",
        "invoke", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;"
            + "Ljava/lang/invoke/MethodHandle;[Ljava/lang/Object;)Ljava/lang/Object;", false);
    Handle valueOf = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/Integer", "valueOf",
        "(I)Ljava/lang/Integer;", false);
    mv.visitLdcInsn(new ConstantDynamic("answer", "Ljava/lang/Integer;", invoke, valueOf,
        argument));
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  /** Defines one class and serves its bytes as its class file. */
  private static final class OneClassLoader extends ClassLoader {
    private final byte[] bytes;

    OneClassLoader(byte[] bytes) {
      super(ConstantDynamicCodeTest.class.getClassLoader());
      this.bytes = bytes;
    }

    Method answer() throws Exception {
      return defineClass(null, bytes, 0, bytes.length).getDeclaredMethod("answer");
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      return name.equals(NAME + ".class") ? new ByteArrayInputStream(bytes) : null;
    }
  }

  private static Fingerprint fingerprintOf(int argument) throws Exception {
    Method answer = new OneClassLoader(answerClass(argument)).answer();
    assertThat(answer.invoke(null)).isEqualTo(argument);
    return CodeFingerprint.fingerprint(answer);
  }

  @Test
  void anEditedBootstrapArgumentChangesTheFingerprint() throws Exception {
    Fingerprint fortyTwo = fingerprintOf(42);

    assertThat(fortyTwo.isKnown()).isTrue();
    assertThat(fingerprintOf(42)).isEqualTo(fortyTwo);
    assertThat(fingerprintOf(43)).isNotEqualTo(fortyTwo);
  }

  @Test
  void theRenderingOfAConstantDynamicIsPinned() throws Exception {
    // The name, descriptor, bootstrap method and every argument, in a form fixed across
    // releases: a change would drop the stored results of every such method.
    assertThat(fingerprintOf(42).value()).isEqualTo(
        "a0fabf5a47f3b874e360424b8c1edf065b305db436a433a29248b1c570404fb9");
  }
}
