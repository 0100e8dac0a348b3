package dev.cachet.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of instruction operand is part of a code fingerprint: a function whose body
 * changes one constant, switch case, type test, field, array shape, loop step or modifier is a
 * different function, and its old cached results must not be served. ({@link
 * CodeFingerprintTest} covers the edits that must keep the fingerprint.)
 */
class InstructionEditsTest {

  @TempDir
  static Path temp;

  private static final Map<String, ClassLoader> VERSIONS = new ConcurrentHashMap<>();

  private static final String OPS = """
      package r;

      import java.util.List;
      import java.util.function.Function;
      import java.util.function.Supplier;

      public class Ops {
        int field;
        int other;

        public static long big() { return 5_000_000_000L; }
        public static double half() { return 0.25; }
        public static float ratio() { return 1.5f; }
        public static String greet() { return "hello"; }
        public static Class<?> kind() { return String.class; }
        public static int small() { return 100; }
        public static int medium() { return 1000; }
        public static int dense(int k) {
          switch (k) {
            case 1: return 10; case 2: return 20; case 3: return 30; default: return 0;
          }
        }
        public static int sparse(int k) {
          switch (k) {
            case 1: return 10; case 100: return 20; case 1000: return 30; default: return 0;
          }
        }
        public static boolean isText(Object o) { return o instanceof String; }
        public static int count(int n) {
          int s = 0; for (int i = 0; i < n; i += 2) { s++; } return s;
        }
        public static Object grid() { return new int[2][3]; }
        public static int size(List<String> l) { return l.size(); }
        public int read() { return field; }
        public static int first(int a, int b) { return a; }
        public static synchronized int locked() { return 1; }
        public static Supplier<StringBuilder> maker() { return StringBuilder::new; }
        public static Function<String, Integer> length() { return String::length; }
        public static Object cast(Object o) { return (CharSequence) o; }
      }
      """;

  private static ClassLoader version(String version) {
    return VERSIONS.computeIfAbsent(version, v -> {
      String[] edit = switch (v) {
        case "base" -> null;
        case "long" -> new String[] {"5_000_000_000L", "6_000_000_000L"};
        case "double" -> new String[] {"0.25;", "0.5;"};
        case "float" -> new String[] {"1.5f", "2.5f"};
        case "string" -> new String[] {"\"hello\"", "\"hullo\""};
        case "classLiteral" -> new String[] {"return String.class", "return Integer.class"};
        case "byteOperand" -> new String[] {"return 100;", "return 101;"};
        case "shortOperand" -> new String[] {"return 1000;", "return 1001;"};
        case "tableCase" -> new String[] {"case 3: return 30;", "case 4: return 30;"};
        case "lookupCase" -> new String[] {"case 1000: return 30;", "case 999: return 30;"};
        case "instanceofType" -> new String[] {"o instanceof String", "o instanceof Integer"};
        case "loopStep" -> new String[] {"i += 2", "i += 3"};
        case "arrayShape" -> new String[] {"new int[2][3]", "new int[2][3][1]"};
        case "interfaceCall" -> new String[] {"List<String> l) { return l.size()",
            "java.util.ArrayList<String> l) { return l.size()"};
        case "fieldRead" -> new String[] {"return field;", "return other;"};
        case "variable" -> new String[] {"int b) { return a; }", "int b) { return b; }"};
        case "synchronizedDropped" -> new String[] {"static synchronized int locked",
            "static int locked"};
        case "constructorReference" -> new String[] {"StringBuilder::new",
            "() -> new StringBuilder(1)"};
        case "methodReference" -> new String[] {"String::length", "String::hashCode"};
        case "castType" -> new String[] {"(CharSequence) o", "(Comparable<?>) o"};
        default -> throw new IllegalArgumentException(v);
      };
      String source = OPS;
      if (edit != null) {
        assertThat(source).as("edit %s applies", v).contains(edit[0]);
        source = source.replace(edit[0], edit[1]);
      }
      return TestCompiler.compile(temp, Map.of("r/Ops.java", source), true);
    });
  }

  private static String fingerprint(String version, String method) {
    return TestCompiler.fingerprint(version(version), "r.Ops", method);
  }

  // Plain tests looping over the cases rather than @ParameterizedTest: PIT's JUnit 5 plugin
  // (1.2.3) credits no kill to a parameterized invocation (docs/TESTING.md).
  @Test
  void anEditedInstructionChangesTheFingerprint() {
    String[][] cases = {
        {"long", "big"},
        {"double", "half"},
        {"float", "ratio"},
        {"string", "greet"},
        {"classLiteral", "kind"},
        {"byteOperand", "small"},
        {"shortOperand", "medium"},
        {"tableCase", "dense"},
        {"lookupCase", "sparse"},
        {"instanceofType", "isText"},
        {"loopStep", "count"},
        {"arrayShape", "grid"},
        {"interfaceCall", "size"},
        {"fieldRead", "read"},
        {"variable", "first"},
        {"synchronizedDropped", "locked"},
        {"constructorReference", "maker"},
        {"methodReference", "length"},
        {"castType", "cast"},
    };
    for (String[] c : cases) {
      String version = c[0];
      String method = c[1];
      assertThat(fingerprint(version, method)).as("%s %s", version, method)
          .isNotEqualTo(fingerprint("base", method));
    }
  }

  // Plain tests looping over the cases rather than @ParameterizedTest: PIT's JUnit 5 plugin
  // (1.2.3) credits no kill to a parameterized invocation (docs/TESTING.md).
  @Test
  void anEditElsewhereKeepsTheFingerprint() {
    String[][] cases = {
        {"long", "half"},
        {"string", "kind"},
        {"tableCase", "sparse"},
        {"fieldRead", "first"},
    };
    for (String[] c : cases) {
      String version = c[0];
      String method = c[1];
      assertThat(fingerprint(version, method)).as("%s %s", version, method)
          .isEqualTo(fingerprint("base", method));
    }
  }
}
