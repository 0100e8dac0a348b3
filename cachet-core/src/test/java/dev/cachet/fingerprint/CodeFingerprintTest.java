package dev.cachet.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.SerializableFunction;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles versions of a small package at test time and checks which edits keep a function's
 * code fingerprint (the cache survives) and which change it (the cache is dropped).
 *
 * <p>What is deliberately not detected is pinned down too, so a change in behaviour shows up
 * here: code in other packages, methods more than {@link CodeFingerprint#MAX_DEPTH} calls deep.
 * Field values and configuration read at run time are not code, so no fingerprint can see them.
 */
class CodeFingerprintTest {

  @TempDir
  static Path temp;

  // Compiling takes a few hundred milliseconds, so each version is compiled once per run.
  private static final Map<String, ClassLoader> VERSIONS = new ConcurrentHashMap<>();

  private static final String CALC = """
      package p;

      import java.io.Serializable;
      import java.util.function.Function;

      public class Calc {
        public interface Fn<A, R> extends Function<A, R>, Serializable {
        }

        public static int compute(int x) {
          int doubled = x * 2; // the doubling
          return Helper.inc(twice(doubled)) + Math.abs(x) + q.Util.one();
        }

        static int twice(int v) {
          return v + v;
        }

        public static Fn<Integer, Integer> ref() {
          return Calc::compute;
        }

        public static Fn<Integer, Integer> lambda() {
          return x -> x + 1;
        }

        public static java.util.Comparator<String> byLength() {
          return new java.util.Comparator<>() {
            @Override
            public int compare(String a, String b) {
              return a.length() - b.length();
            }
          };
        }

        public static java.util.function.IntUnaryOperator plainLambda() {
          return x -> x * 5;
        }

        public static int fact(int n) {
          return n <= 1 ? 1 : n * fact(n - 1);
        }

        public static boolean even(int n) {
          return n == 0 || odd(n - 1);
        }

        static boolean odd(int n) {
          return n != 0 && even(n - 1);
        }

        public static int guarded(String s) {
          try {
            return Integer.parseInt(s);
          } catch (NumberFormatException e) {
            return -1;
          }
        }
      }
      """;

  private static final String HELPER = """
      package p;

      class Helper {
        static int inc(int v) {
          return v + 1;
        }
      }
      """;

  private static final String CHAIN = """
      package p;

      public class Chain {
        public static int c0(int v) { return c1(v) + 1; }
        static int c1(int v) { return c2(v) + 1; }
        static int c2(int v) { return c3(v) + 1; }
        static int c3(int v) { return c4(v) + 1; }
        static int c4(int v) { return v + 1; }
      }
      """;

  private static final String UTIL = """
      package q;

      public class Util {
        public static int one() {
          return 1;
        }
      }
      """;

  private static final String COMPUTE = """
        public static int compute(int x) {
          int doubled = x * 2; // the doubling
          return Helper.inc(twice(doubled)) + Math.abs(x) + q.Util.one();
        }
      """;

  /** Each version is the base with one edit: file, text to find, replacement. */
  private static String[] edit(String version) {
    return switch (version) {
      case "base", "noDebug" -> null;
      case "reformatted" -> new String[] {"p/Calc.java", COMPUTE, """
            /** Doubles, then adds; now with a Javadoc comment. */
            public static int compute( int x )
            {
                int doubled =
                    x * 2;

                // nothing to see here
                return Helper.inc( twice( doubled ) )
                    + Math.abs( x )
                    + q.Util.one();
            }
          """};
      case "renamedLocal" -> new String[] {"p/Calc.java", COMPUTE,
          COMPUTE.replace("doubled", "twiceX")};
      case "moved" -> new String[] {"p/Calc.java", COMPUTE + "\n", ""};
      case "unrelatedAdded" -> new String[] {"p/Calc.java", COMPUTE, """
            public static Runnable noisy() {
              return () -> System.out.println("noise");
            }

            static int unused(int y) {
              return y * 7;
            }

            static Object anonymous() {
              return new Object() {
                @Override
                public String toString() {
                  return "renumbers the other anonymous class";
                }
              };
            }

          """ + COMPUTE};
      case "constant" -> new String[] {"p/Calc.java", "x * 2", "x * 3"};
      case "operator" -> new String[] {"p/Calc.java", "x * 2", "x + 2"};
      case "calledMethod" -> new String[] {"p/Calc.java", "Math.abs(x)", "Math.negateExact(x)"};
      case "sameClassHelper" -> new String[] {"p/Calc.java", "return v + v;", "return v * 2;"};
      case "samePackageHelper" -> new String[] {"p/Helper.java", "v + 1", "v + 2"};
      case "otherPackageHelper" -> new String[] {"q/Util.java", "return 1;", "return 2;"};
      case "lambdaBody" -> new String[] {"p/Calc.java", "x -> x + 1", "x -> x + 2"};
      case "anonymousBody" -> new String[] {"p/Calc.java", "a.length() - b.length()",
          "b.length() - a.length()"};
      case "plainLambdaBody" -> new String[] {"p/Calc.java", "x -> x * 5", "x -> x * 6"};
      case "recursion" -> new String[] {"p/Calc.java", "n * fact(n - 1)", "n * fact(n - 2)"};
      case "catchType" -> new String[] {"p/Calc.java", "NumberFormatException",
          "IllegalArgumentException"};
      case "depth3" -> new String[] {"p/Chain.java", "return c4(v) + 1;", "return c4(v) + 2;"};
      case "depth4" -> new String[] {"p/Chain.java", "return v + 1;", "return v + 2;"};
      default -> throw new IllegalArgumentException(version);
    };
  }

  private static ClassLoader version(String version) {
    return VERSIONS.computeIfAbsent(version, v -> {
      Map<String, String> sources = new LinkedHashMap<>();
      sources.put("p/Calc.java", CALC);
      sources.put("p/Helper.java", HELPER);
      sources.put("p/Chain.java", CHAIN);
      sources.put("q/Util.java", UTIL);
      String[] edit = edit(v);
      if (edit != null) {
        String before = sources.get(edit[0]);
        assertThat(before).as("edit %s applies", v).contains(edit[1]);
        String after = before.replace(edit[1], edit[2]);
        if (v.equals("moved")) {
          int end = after.lastIndexOf('}');
          after = after.substring(0, end) + "\n" + COMPUTE + "}\n";
        }
        sources.put(edit[0], after);
      }
      return TestCompiler.compile(temp, sources, !v.equals("noDebug"));
    });
  }

  private static String fingerprint(String version, String cls, String method) {
    return TestCompiler.fingerprint(version(version), cls, method);
  }

  private static String viaFunction(String version, String factory) {
    try {
      Object fn = version(version).loadClass("p.Calc").getMethod(factory).invoke(null);
      Fingerprint fp = CodeFingerprint.fingerprint(fn, 1);
      assertThat(fp.reason()).isNull();
      return fp.value();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void fingerprintIsSha256Hex() {
    assertThat(fingerprint("base", "p.Calc", "compute")).matches("[0-9a-f]{64}");
  }

  @Test
  void methodReferenceHasTheMethodsFingerprint() {
    assertThat(viaFunction("base", "ref")).isEqualTo(fingerprint("base", "p.Calc", "compute"));
  }

  @Test
  void debugInformationIsIgnored() {
    assertThat(fingerprint("noDebug", "p.Calc", "compute"))
        .isEqualTo(fingerprint("base", "p.Calc", "compute"));
    assertThat(viaFunction("noDebug", "lambda")).isEqualTo(viaFunction("base", "lambda"));
  }

  // Plain tests looping over the cases, not @ParameterizedTest: PIT's JUnit 5 plugin
  // (1.2.3) credits no kill to a parameterized invocation (docs/TESTING.md).
  @Test
  void editKeepsFingerprint() {
    String[][] cases = {
        {"reformatted", "p.Calc", "compute"},
        {"renamedLocal", "p.Calc", "compute"},
        {"moved", "p.Calc", "compute"},
        {"unrelatedAdded", "p.Calc", "compute"},
        {"unrelatedAdded", "p.Calc", "guarded"},
        // The anonymous class is renamed from Calc$1 to Calc$2.
        {"unrelatedAdded", "p.Calc", "byLength"},
        {"lambdaBody", "p.Calc", "compute"},
        {"catchType", "p.Calc", "compute"},
        {"recursion", "p.Calc", "even"},
        // Not detected, by design: code in other packages is covered only by the names and
        // descriptors of the methods called.
        {"otherPackageHelper", "p.Calc", "compute"},
        // Not detected: deeper than MAX_DEPTH (c0 -> c1 -> c2 -> c3 -> c4).
        {"depth4", "p.Chain", "c0"},
    };
    for (String[] c : cases) {
      String version = c[0];
      String cls = c[1];
      String method = c[2];
      assertThat(fingerprint(version, cls, method)).as("%s %s %s", version, cls, method)
          .isEqualTo(fingerprint("base", cls, method));
    }
  }

  // Plain tests looping over the cases, not @ParameterizedTest: PIT's JUnit 5 plugin
  // (1.2.3) credits no kill to a parameterized invocation (docs/TESTING.md).
  @Test
  void editChangesFingerprint() {
    String[][] cases = {
        {"constant", "p.Calc", "compute"},
        {"operator", "p.Calc", "compute"},
        {"calledMethod", "p.Calc", "compute"},
        {"sameClassHelper", "p.Calc", "compute"},
        {"samePackageHelper", "p.Calc", "compute"},
        {"recursion", "p.Calc", "fact"},
        {"anonymousBody", "p.Calc", "byLength"},
        {"catchType", "p.Calc", "guarded"},
        {"depth3", "p.Chain", "c0"},
    };
    for (String[] c : cases) {
      String version = c[0];
      String cls = c[1];
      String method = c[2];
      assertThat(fingerprint(version, cls, method)).as("%s %s %s", version, cls, method)
          .isNotEqualTo(fingerprint("base", cls, method));
    }
  }

  @Test
  void lambdaIsIdentifiedByContentNotBySyntheticName() throws Exception {
    // javac 17 numbers non-serializable lambda bodies across the class (lambda$plainLambda$0),
    // so the lambda added in noisy() renames the body of the one in plainLambda(); the
    // fingerprint must not notice, yet must see an edit of that body. (Newer javac, such as
    // 25, numbers them per enclosing method, so there the names happen to stay.)
    if (Runtime.version().feature() == 17) {
      assertThat(lambdaBodyName("unrelatedAdded")).isNotEqualTo(lambdaBodyName("base"));
    }
    assertThat(fingerprint("unrelatedAdded", "p.Calc", "plainLambda"))
        .isEqualTo(fingerprint("base", "p.Calc", "plainLambda"));
    assertThat(fingerprint("plainLambdaBody", "p.Calc", "plainLambda"))
        .isNotEqualTo(fingerprint("base", "p.Calc", "plainLambda"));

    // Serializable lambdas: the function object leads to the body.
    assertThat(viaFunction("unrelatedAdded", "lambda")).isEqualTo(viaFunction("base", "lambda"));
    assertThat(viaFunction("lambdaBody", "lambda")).isNotEqualTo(viaFunction("base", "lambda"));
  }

  private static String lambdaBodyName(String version) throws ClassNotFoundException {
    return Arrays.stream(version(version).loadClass("p.Calc").getDeclaredMethods())
        .map(Method::getName)
        .filter(n -> n.startsWith("lambda$plainLambda$"))
        .findFirst().orElseThrow();
  }

  @Test
  void methodReferenceSeesEditsLikeTheMethod() {
    assertThat(viaFunction("renamedLocal", "ref")).isEqualTo(viaFunction("base", "ref"));
    assertThat(viaFunction("samePackageHelper", "ref")).isNotEqualTo(viaFunction("base", "ref"));
  }

  @Test
  void mutualRecursionTerminates() {
    assertThat(fingerprint("base", "p.Calc", "even")).matches("[0-9a-f]{64}");
    assertThat(fingerprint("base", "p.Calc", "odd"))
        .isNotEqualTo(fingerprint("base", "p.Calc", "even"));
  }

  @Test
  void serializableLambdaHasFingerprint() {
    SerializableFunction<Integer, Integer> f = x -> x * 31 + 7;
    SerializableFunction<Integer, Integer> same = x -> x * 31 + 7;
    SerializableFunction<Integer, Integer> other = x -> x * 31 + 8;

    assertThat(CodeFingerprint.of(f, 1)).get().asString().matches("[0-9a-f]{64}");
    // Two lambdas with the same body have the same code, whatever javac numbered them.
    assertThat(CodeFingerprint.of(same, 1)).isEqualTo(CodeFingerprint.of(f, 1));
    assertThat(CodeFingerprint.of(other, 1)).isNotEqualTo(CodeFingerprint.of(f, 1));
  }

  private static int tripled(int x) {
    return x * 3;
  }

  @Test
  void methodReferencesToUserAndJdkMethods() throws Exception {
    SerializableFunction<Integer, Integer> ref = CodeFingerprintTest::tripled;
    SerializableFunction<String, Integer> jdk = String::length;

    assertThat(CodeFingerprint.of(ref, 1)).contains(
        CodeFingerprint.of(CodeFingerprintTest.class.getDeclaredMethod("tripled", int.class)));
    assertThat(CodeFingerprint.of(jdk, 1)).isPresent();
  }

  @Test
  void plainFunctionObjectGetsClearReason() {
    Function<Integer, Integer> plain = new Function<>() {
      @Override
      public Integer apply(Integer x) {
        return x + 1;
      }
    };
    UnaryOperator<Integer> notSerializable = x -> x + 1;

    for (Object fn : new Object[] {plain, notSerializable}) {
      Fingerprint fp = CodeFingerprint.fingerprint(fn, 1);
      assertThat(fp.isKnown()).isFalse();
      assertThat(fp.value()).isNull();
      assertThat(fp.reason())
          .contains("not a serializable lambda or method reference")
          .contains("give it a version with .version(");
      assertThat(CodeFingerprint.of(fn, 1)).isEmpty();
      assertThatThrownBy(fp::orElseThrow).hasMessage(fp.reason());
    }
  }

  interface Service {
    int call(int x);
  }

  @Test
  void methodsWithoutReadableCodeGetReasons() throws Exception {
    Method abstractMethod = Service.class.getDeclaredMethod("call", int.class);
    assertThatThrownBy(() -> CodeFingerprint.of(abstractMethod))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("abstract or native")
        .hasMessageContaining("give it a version with .version(");

    Object proxy = Proxy.newProxyInstance(Service.class.getClassLoader(),
        new Class<?>[] {Service.class}, (p, m, a) -> 0);
    Method proxied = proxy.getClass().getMethod("call", int.class);
    assertThat(CodeFingerprint.fingerprint(proxied).reason()).contains("proxy");

    // A non-serializable lambda's class is hidden: its bytecode exists only in memory.
    Service lambda = x -> x;
    Method hidden = lambda.getClass().getMethod("call", int.class);
    assertThat(CodeFingerprint.fingerprint(hidden).reason())
        .contains("hidden class")
        .contains("give it a version with .version(");
  }

  /** Off under PIT, which turns the per-class caches off to measure them (docs/TESTING.md). */
  @Test
  @DisabledIfSystemProperty(named = "cachet.pit.uncached", matches = "true")
  void repeatedCallsAreCached() throws Exception {
    Method m = CodeFingerprintTest.class.getDeclaredMethod("tripled", int.class);
    Fingerprint first = CodeFingerprint.fingerprint(m);
    // The same instance: the class's bytecode was read and hashed once, not on every call.
    assertThat(CodeFingerprint.fingerprint(m)).isSameAs(first);
  }
}
