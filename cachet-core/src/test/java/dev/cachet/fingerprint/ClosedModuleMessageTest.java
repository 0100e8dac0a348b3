package dev.cachet.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * On the module path, a lambda in a package its module does not open to Cachet cannot be read,
 * and the user must be told which {@code opens} line to add, not that the lambda is not
 * serializable. The rule is checked here with two named platform modules standing for the
 * user's module and Cachet's; {@code ModulePathTest} (cachet-e2e) checks it on a real module
 * path.
 */
class ClosedModuleMessageTest {
  private static final Module JAVA_BASE = Object.class.getModule();
  private static final Module JAVA_SQL = java.sql.Date.class.getModule();

  /** Serializable, in the unnamed module of the class path. */
  record Point(int x) implements java.io.Serializable {
  }

  @Test
  void aSerializableClassInAPackageNotOpenToTheReaderNamesTheOpensLineToAdd() {
    assertThat(CodeFingerprint.closedModule(JAVA_SQL, ArrayList.class)).isEqualTo(
        "Cannot fingerprint the code of java.util.ArrayList: its package java.util (module"
            + " java.base) is not open to java.sql, which reads memoized lambdas reflectively."
            + " Add 'opens java.util to java.sql;' to the descriptor of java.base.");
  }

  @Test
  void noMessageWhenAnythingElseIsTheReason() {
    // A package is always open to its own module.
    assertThat(CodeFingerprint.closedModule(JAVA_BASE, ArrayList.class)).isNull();
    // Not serializable: the "not a serializable lambda" message is the right one.
    assertThat(CodeFingerprint.closedModule(JAVA_SQL, Object.class)).isNull();
    // The class path: the caller's module is unnamed, or Cachet's is.
    assertThat(CodeFingerprint.closedModule(JAVA_SQL, Point.class)).isNull();
    assertThat(CodeFingerprint.closedModule(getClass().getModule(), ArrayList.class)).isNull();
  }
}
