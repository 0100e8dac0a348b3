package dev.cachet.key;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.fingerprint.TestCompiler;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How an argument's class is classified decides whether it is keyed by its fields or refused,
 * and with which advice: JDK internals are refused whatever interfaces they implement, user
 * classes are read field by field (private fields too) unless they inherit JDK state.
 */
class TypeClassificationTest {
  @TempDir
  Path dir;

  private static final KeyMaker MAKER = KeyMaker.of("f", List.of("arg"), true);

  private static String refusal(Object arg) {
    try {
      MAKER.keyOf(new Object[] {arg});
    } catch (KeyException e) {
      return e.getMessage();
    }
    throw new AssertionError("no KeyException for " + arg.getClass().getName());
  }

  /** A user number: not one of the JDK's, so keyed by its (private) state like any class. */
  static final class Money extends Number {
    private final long cents;

    Money(long cents) {
      this.cents = cents;
    }

    @Override
    public int intValue() {
      return (int) cents;
    }

    @Override
    public long longValue() {
      return cents;
    }

    @Override
    public float floatValue() {
      return cents;
    }

    @Override
    public double doubleValue() {
      return cents;
    }
  }

  /** A file with a label: java.io.File's path is its own, non-transient state. */
  static final class LabelledFile extends File {
    final String label;

    LabelledFile(String path, String label) {
      super(path);
      this.label = label;
    }
  }

  /** Created where there is no enclosing instance or local to capture. */
  static Object anonymousWithState() {
    return new Object() {
      final int x = 1;
    };
  }

  @Test
  void jdkInternalsAreRefusedWhateverTheyImplement() {
    Object osBean = ManagementFactory.getOperatingSystemMXBean(); // com.sun.management.internal
    Object unixPath = Path.of("x"); // sun.nio.fs, and an Iterable
    for (Object internal : new Object[] {osBean, unixPath}) {
      assertThat(refusal(internal)).as(internal.getClass().getName())
          .contains("type " + internal.getClass().getName() + " has no stable value. ");
    }
  }

  @Test
  void aUserSubclassOfAStatelessJdkClassIsKeyedByItsPrivateFields() {
    assertThat(MAKER.keyOf(new Object[] {new Money(5)}))
        .isEqualTo(MAKER.keyOf(new Object[] {new Money(5)}))
        .isNotEqualTo(MAKER.keyOf(new Object[] {new Money(6)}));
  }

  @Test
  void aUserSubclassOfAJdkClassWithStateIsRefusedNamingIt() {
    assertThat(refusal(new LabelledFile("a.txt", "input"))).contains("type "
        + LabelledFile.class.getName() + " has no stable value (it inherits internal state from "
        + "java.io.File)");
  }

  @Test
  void anAnonymousClassWithStateIsRefusedEvenWhenItCapturesNothing() {
    Object anonymous = anonymousWithState();
    assertThat(refusal(anonymous)).contains("type " + anonymous.getClass().getName()
        + " has no stable value (an anonymous class with state)");
  }

  @Test
  void theCachedClassificationIsTheComputedOneAndStaysTheSameObject() throws Exception {
    // Compiled here, so no earlier test has cached it.
    Class<?> point = TestCompiler.compile(dir, Map.of("p/Point.java",
        "package p; public record Point(int x, int y) {}"), false).loadClass("p.Point");

    TypeInfo cached = TypeInfo.cached(point);

    assertThat(cached.kind).isEqualTo(TypeInfo.Kind.RECORD);
    assertThat(cached.layout.names).containsExactly("x", "y");
    assertThat(TypeInfo.cached(point)).isSameAs(cached);
  }
}
