package dev.cachet.memo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.SerializableFunction;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the method behind a serializable lambda or method reference. */
class LambdaMethodTest {

  static int twice(int x) {
    return 2 * x;
  }

  @Test
  void aMethodReferenceIsDescribedByItsClassAndMethodForMessages() {
    SerializableFunction<Integer, Integer> ref = LambdaMethodTest::twice;
    LambdaMethod lambda = LambdaMethod.of(ref, 1).orElseThrow();
    assertThat(lambda.describe()).isEqualTo("dev.cachet.memo.LambdaMethodTest.twice");
    assertThat(lambda.parameterNames()).containsExactly("x");
  }

  @Test
  void aFunctionThatIsNotASerializableLambdaHasNoLambdaMethod() {
    Function<Integer, Integer> plain = x -> x;
    assertThat(LambdaMethod.of(plain, 1)).isEmpty();
    assertThat(LambdaMethod.of(new java.util.ArrayList<>(), 1)).as("serializable, not a lambda")
        .isEmpty();
  }

  @TempDir
  Path tmp;

  @Test
  void anUnboundReferenceToAPrivateMethodCompiledForJava11NamesItsReceiverThis()
      throws Exception {
    // javac before release 15 refers to private methods with REF_invokeSpecial (libraries
    // compiled for Java 11 still do); from 15 on with REF_invokeVirtual.
    Path src = Files.createDirectories(tmp.resolve("src/old"));
    Path out = Files.createDirectories(tmp.resolve("classes"));
    Path file = src.resolve("Labels.java");
    Files.writeString(file, """
        package old;
        import java.io.Serializable;
        import java.util.function.BiFunction;
        public class Labels {
          final String prefix;
          public Labels(String prefix) {
            this.prefix = prefix;
          }
          private String label(String requestId) {
            return prefix + requestId;
          }
          public static BiFunction<Labels, String, String> reference() {
            return (BiFunction<Labels, String, String> & Serializable) Labels::label;
          }
        }
        """);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter messages = new StringWriter();
    try (var fm = javac.getStandardFileManager(null, null, null)) {
      boolean ok = javac.getTask(messages, fm, null,
          List.of("--release", "11", "-parameters", "-proc:none", "-d", out.toString()), null,
          fm.getJavaFileObjects(file)).call();
      assertThat(ok).as("compilation: %s", messages).isTrue();
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()},
        getClass().getClassLoader())) {
      Object reference = loader.loadClass("old.Labels").getMethod("reference").invoke(null);
      LambdaMethod lambda = LambdaMethod.of(reference, 2).orElseThrow();
      assertThat(lambda.lambda().getImplMethodKind())
          .isEqualTo(java.lang.invoke.MethodHandleInfo.REF_invokeSpecial);
      assertThat(lambda.parameterNames()).containsExactly("this", "requestId");
    }
  }
}
