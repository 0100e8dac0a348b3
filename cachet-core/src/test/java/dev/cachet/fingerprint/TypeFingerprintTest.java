package dev.cachet.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Result-type shapes: compiles versions of a few types at test time (the names must stay the
 * same, only the shape may change) and checks which edits change the fingerprint.
 */
class TypeFingerprintTest {

  @TempDir
  static Path temp;

  private static final Map<String, ClassLoader> VERSIONS = new ConcurrentHashMap<>();

  private static final String SHAPES = """
      package t;

      import java.util.List;
      import java.util.Map;
      import java.util.Optional;

      public class Shapes {
        public record Point(int x, int y) {
        }

        public record Line(Point from, Point to, String label) {
        }

        public record Wrap(List<Point> points, Optional<Point> maybe, Map<String, Point[]> byName) {
        }

        public static class Pojo {
          int a;
          String b;
          List<Point> c;
          transient int cache;
          static int counter;
        }

        public static class Sub extends Pojo {
          long d;
        }

        public enum Color { RED, GREEN }

        public sealed interface Figure permits Circle, Square {
        }

        public record Circle(double r) implements Figure {
        }

        public record Square(double side) implements Figure {
        }
      }
      """;

  private static ClassLoader version(String version) {
    return VERSIONS.computeIfAbsent(version, v -> {
      String source = switch (v) {
        case "base" -> SHAPES;
        case "addedComponent" -> SHAPES.replace("Point(int x, int y)", "Point(int x, int y, int z)");
        case "renamedComponent" -> SHAPES.replace("Point(int x, int y)", "Point(int x, int why)");
        case "reorderedFields" -> SHAPES.replace("""
                int a;
                String b;
            """, """
                String b;
                int a;
            """);
        case "transientAndStaticAdded" -> SHAPES.replace("static int counter;",
            "static int counter; static String other; transient Object scratch;");
        case "fieldType" -> SHAPES.replace("String b;", "CharSequence b;");
        case "subtypeComponent" -> SHAPES.replace("Circle(double r)", "Circle(double radius)");
        case "enumConstant" -> SHAPES.replace("RED, GREEN", "RED, GREEN, BLUE");
        default -> throw new IllegalArgumentException(v);
      };
      assertThat(v.equals("base") || !source.equals(SHAPES)).as("edit %s applies", v).isTrue();
      return TestCompiler.compile(temp, Map.of("t/Shapes.java", source), true);
    });
  }

  private static String fingerprint(String version, String type) {
    try {
      return TypeFingerprint.of(version(version).loadClass("t.Shapes$" + type));
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  // Plain tests looping over the cases, not @ParameterizedTest: PIT's JUnit 5 plugin
  // (1.2.3) credits no kill to a parameterized invocation (docs/TESTING.md).
  @Test
  void shapeChangeChangesFingerprint() {
    String[][] cases = {
        {"addedComponent", "Point"},
        {"addedComponent", "Line"},
        {"addedComponent", "Wrap"},
        {"addedComponent", "Pojo"},
        {"addedComponent", "Sub"},
        {"renamedComponent", "Point"},
        {"renamedComponent", "Line"},
        {"fieldType", "Pojo"},
        {"fieldType", "Sub"},
        {"enumConstant", "Color"},
        {"subtypeComponent", "Figure"},
    };
    for (String[] c : cases) {
      String version = c[0];
      String type = c[1];
      assertThat(fingerprint(version, type)).isNotEqualTo(fingerprint("base", type));
    }
  }

  // Plain tests looping over the cases, not @ParameterizedTest: PIT's JUnit 5 plugin
  // (1.2.3) credits no kill to a parameterized invocation (docs/TESTING.md).
  @Test
  void unrelatedEditKeepsFingerprint() {
    String[][] cases = {
        {"reorderedFields", "Pojo"},
        {"reorderedFields", "Sub"},
        {"transientAndStaticAdded", "Pojo"},
        {"addedComponent", "Color"},
        {"enumConstant", "Point"},
        {"subtypeComponent", "Square"},
    };
    for (String[] c : cases) {
      String version = c[0];
      String type = c[1];
      assertThat(fingerprint(version, type)).isEqualTo(fingerprint("base", type));
    }
  }

  @Test
  void recompilingKeepsFingerprint() {
    ClassLoader again = TestCompiler.compile(temp, Map.of("t/Shapes.java", SHAPES), false);
    assertThat(fingerprint("base", "Line")).matches("[0-9a-f]{64}");
    try {
      assertThat(TypeFingerprint.of(again.loadClass("t.Shapes$Line")))
          .isEqualTo(fingerprint("base", "Line"));
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  record A(int value) {
  }

  record B(int value) {
  }

  @SuppressWarnings("unused")
  static class Holder {
    List<A> listA;
    List<B> listB;
    List<A> listA2;
    Optional<A> optionalA;
    A[] arrayA;
    Map<String, List<A>> nested;
    Box<Box<String>> boxOfBoxOfString;
    Box<Box<Integer>> boxOfBoxOfInteger;
  }

  record Box<T>(T content) {
  }

  private static Type field(String name) throws NoSuchFieldException {
    return Holder.class.getDeclaredField(name).getGenericType();
  }

  @Test
  void genericArgumentsCount() throws Exception {
    assertThat(TypeFingerprint.of(field("listA"))).isNotEqualTo(TypeFingerprint.of(field("listB")));
    assertThat(TypeFingerprint.of(field("listA"))).isEqualTo(TypeFingerprint.of(field("listA2")));
    assertThat(TypeFingerprint.of(field("optionalA")))
        .isNotEqualTo(TypeFingerprint.of(field("listA")));
    assertThat(TypeFingerprint.of(field("arrayA"))).isNotEqualTo(TypeFingerprint.of(A.class));
    assertThat(TypeFingerprint.of(field("boxOfBoxOfString")))
        .isNotEqualTo(TypeFingerprint.of(field("boxOfBoxOfInteger")));
    assertThat(TypeFingerprint.of(field("nested"))).matches("[0-9a-f]{64}");
  }

  record Node(int value, Node next, List<Node> children) {
  }

  static class Parent {
    List<Child> children;
  }

  static class Child {
    Parent parent;
    Map<String, Child> siblings;
  }

  record Chain<T>(T head, Chain<List<T>> tail) {
  }

  @Test
  void selfReferencingTypesTerminate() {
    assertThat(TypeFingerprint.of(Node.class)).matches("[0-9a-f]{64}");
    assertThat(TypeFingerprint.of(Parent.class)).matches("[0-9a-f]{64}");
    assertThat(TypeFingerprint.of(Child.class)).isNotEqualTo(TypeFingerprint.of(Parent.class));
    // Each level nests one more List, so only the depth bound stops it.
    assertThat(TypeFingerprint.of(Chain.class)).matches("[0-9a-f]{64}");
  }

  sealed interface Shape permits Circle, Square {
  }

  record Circle(double radius) implements Shape {
  }

  record Square(double side) implements Shape {
  }

  interface Open {
  }

  @Test
  void sealedTypesCoverTheirSubtypes() {
    assertThat(TypeFingerprint.of(Shape.class)).isNotEqualTo(TypeFingerprint.of(Open.class));
  }

  @Test
  void jdkTypesAreNamedNotExpanded() {
    assertThat(TypeFingerprint.of(String.class)).isNotEqualTo(TypeFingerprint.of(Integer.class));
    assertThat(TypeFingerprint.of(int.class)).isNotEqualTo(TypeFingerprint.of(long.class));
    assertThat(TypeFingerprint.of(String.class)).isEqualTo(TypeFingerprint.of(String.class));
  }
}
