package dev.cachet.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More result-type edits than {@link TypeFingerprintTest}: generic bindings through superclasses
 * and wildcards, interfaces, sealed hierarchies, enum order and the documented depth of
 * {@link TypeFingerprint#MAX_DEPTH} levels. A stored entry must become a miss exactly when the
 * type it was written for can no longer read it the same way.
 */
class TypeShapeEditsTest {

  @TempDir
  static Path temp;

  private static final Map<String, ClassLoader> VERSIONS = new ConcurrentHashMap<>();

  private static final String SHAPES = """
      package s;

      import java.util.List;
      import java.util.Map;

      public class Shapes {
        public record A(int a) {
        }

        public record B(int b) {
        }

        public static class Base<T> {
          T value;
          List<T> values;
        }

        public static class OfA extends Base<A> {
        }

        public static class Marker {
        }

        public record Wild(List<? extends A> upper, List<? super A> lower) {
        }

        public record Arr<T>(T[] items) {
        }

        public record Bounded<T extends Number>(T n) {
        }

        public record Pair(Map<String, A> byName) {
        }

        public sealed interface Figure permits Circle, Square {
        }

        public record Circle(double r) implements Figure {
        }

        public record Square(double side) implements Figure {
        }

        public enum Level { LOW, HIGH }

        public class Inner {
          int x;
        }

        int outerState;

        public record D0(D1 next) {
        }

        public record D1(D2 next) {
        }

        public record D2(D3 next) {
        }

        public record D3(D4 next) {
        }

        public record D4(D5 next) {
        }

        public record D5(D6 next) {
        }

        public record D6(D7 next) {
        }

        public record D7(D8 next) {
        }

        public record D8(D9 next) {
        }

        public record D9(D10 next) {
        }

        public record D10(D11 next) {
        }

        public record D11(D12 next) {
        }

        public record D12(int last) {
        }

        public record Top(D0 d0) {
        }
      }
      """;

  private static ClassLoader version(String version) {
    return VERSIONS.computeIfAbsent(version, v -> {
      String[] edit = switch (v) {
        case "base" -> null;
        case "superclassArgument" -> new String[] {"extends Base<A>", "extends Base<B>"};
        case "markerBecomesInterface" -> new String[] {"public static class Marker {",
            "public interface Marker {"};
        case "upperBound" -> new String[] {"List<? extends A> upper", "List<? extends B> upper"};
        case "lowerBound" -> new String[] {"List<? super A> lower", "List<? super B> lower"};
        case "variableBound" -> new String[] {"T extends Number", "T extends Comparable<T>"};
        case "mapArguments" -> new String[] {"Map<String, A>", "Map<A, String>"};
        case "permitsReordered" -> new String[] {"permits Circle, Square",
            "permits Square, Circle"};
        case "enumReordered" -> new String[] {"LOW, HIGH", "HIGH, LOW"};
        case "outerFieldAdded" -> new String[] {"int outerState;", "int outerState; long more;"};
        case "deepestRenamed" -> new String[] {"D12(int last)", "D12(int final0)"};
        default -> throw new IllegalArgumentException(v);
      };
      String source = SHAPES;
      if (edit != null) {
        assertThat(source).as("edit %s applies", v).contains(edit[0]);
        source = source.replace(edit[0], edit[1]);
      }
      return TestCompiler.compile(temp, Map.of("s/Shapes.java", source), true);
    });
  }

  private static Class<?> type(String version, String name) {
    try {
      return version(version).loadClass("s.Shapes$" + name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  private static String fingerprint(String version, String name) {
    return TypeFingerprint.of(type(version, name));
  }

  // Plain tests looping over the cases rather than @ParameterizedTest: PIT's JUnit 5 plugin
  // (1.2.3) credits no kill to a parameterized invocation (docs/TESTING.md).
  @Test
  void shapeEditChangesFingerprint() {
    String[][] cases = {
        // A field declared as T in a generic superclass is read as the subclass's argument.
        {"superclassArgument", "OfA"},
        // Jackson cannot instantiate an interface: what was stored for a class must not be read.
        {"markerBecomesInterface", "Marker"},
        {"upperBound", "Wild"},
        {"lowerBound", "Wild"},
        // A raw use of a generic record names the variable's bound.
        {"variableBound", "Bounded"},
        {"mapArguments", "Pair"},
        // Enums are read by name but their order is part of the documented shape.
        {"enumReordered", "Level"},
        // 12 levels down is still looked into (D0's D12), and 11 (D1's).
        {"deepestRenamed", "D0"},
        {"deepestRenamed", "D1"},
    };
    for (String[] c : cases) {
      String version = c[0];
      String name = c[1];
      assertThat(fingerprint(version, name)).as("%s %s", version, name)
          .isNotEqualTo(fingerprint("base", name));
    }
  }

  // Plain tests looping over the cases rather than @ParameterizedTest: PIT's JUnit 5 plugin
  // (1.2.3) credits no kill to a parameterized invocation (docs/TESTING.md).
  @Test
  void unrelatedEditKeepsFingerprint() {
    String[][] cases = {
        // Permitted subtypes are sorted by name, so declaration order plays no part.
        {"permitsReordered", "Figure"},
        // An inner class's hidden reference to its enclosing instance is not state of its own.
        {"outerFieldAdded", "Inner"},
        {"superclassArgument", "Marker"},
        {"enumReordered", "Figure"},
        // Top's D12 is 13 levels down: only its name is covered.
        {"deepestRenamed", "Top"},
    };
    for (String[] c : cases) {
      String version = c[0];
      String name = c[1];
      assertThat(fingerprint(version, name)).as("%s %s", version, name)
          .isEqualTo(fingerprint("base", name));
    }
  }

  record A(int a) {
  }

  record B(int b) {
  }

  record Arr<T>(T[] items) {
  }

  @SuppressWarnings("unused")
  static class Fields {
    Arr<A> arrA;
    Arr<B> arrB;
    Arr<A> arrA2;
    List<A> listA;
    java.util.Set<A> setA;
    List<? extends A> someA;
    List<?> any;
    List<A>[] arrayOfLists;
    List<B>[] arrayOfListsB;
  }

  private static Type field(String name) throws NoSuchFieldException {
    return Fields.class.getDeclaredField(name).getGenericType();
  }

  @Test
  void genericArraysAndWildcardsFollowTheirArguments() throws Exception {
    assertThat(TypeFingerprint.of(field("arrA"))).isNotEqualTo(TypeFingerprint.of(field("arrB")))
        .isEqualTo(TypeFingerprint.of(field("arrA2")));
    assertThat(TypeFingerprint.of(field("listA"))).isNotEqualTo(TypeFingerprint.of(field("setA")));
    assertThat(TypeFingerprint.of(field("someA"))).isNotEqualTo(TypeFingerprint.of(field("listA")))
        .isNotEqualTo(TypeFingerprint.of(field("any")));
    assertThat(TypeFingerprint.of(field("arrayOfLists")))
        .isNotEqualTo(TypeFingerprint.of(field("arrayOfListsB")))
        .isNotEqualTo(TypeFingerprint.of(field("listA")));
  }

  @Test
  void aGenericTypeIsFingerprintedAsOftenAsAsked() throws Exception {
    // Generic types are not cached by class; the result must still be the same every time.
    assertThat(TypeFingerprint.of(field("arrA"))).isEqualTo(TypeFingerprint.of(field("arrA")));
    assertThat(TypeFingerprint.of(field("arrA"))).matches("[0-9a-f]{64}");
  }
}
