package dev.cachet.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The point read gives the same answers through the driver's core API and through JDBC. */
class EntryLookupTest {
  private static final String SQL =
      "SELECT value, expires FROM entries WHERE id = ?1";

  @TempDir
  Path dir;

  // A plain test looping over the cases, not @ParameterizedTest: PIT's JUnit 5 plugin (1.2.3)
  // credits no kill to a parameterized invocation (docs/TESTING.md).
  @Test
  void readsHitsMissesAndNullValuesAlike() throws Exception {
    assertThat(EntryLookup.CORE_API).as("this driver has the core API").isTrue();
    readsAlike(true, dir.resolve("core.db"));
    readsAlike(false, dir.resolve("jdbc.db"));
  }

  private static void readsAlike(boolean core, Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE entries(id INTEGER PRIMARY KEY, value BLOB, expires INTEGER)");
        s.execute("INSERT INTO entries VALUES (7, x'010203', 99), (-8, NULL, 0), (9, x'', 5)");
      }
      try (EntryLookup lookup = new EntryLookup(c, SQL, 1, core)) {
        for (int round = 0; round < 3; round++) {
          assertThat(lookup.find(7)).isTrue();
          assertThat(lookup.value()).containsExactly(1, 2, 3);
          assertThat(lookup.longAt(0)).isEqualTo(99);

          assertThat(lookup.find(-8)).isTrue();
          assertThat(lookup.value()).isNull();
          assertThat(lookup.longAt(0)).isZero();

          assertThat(lookup.find(9)).isTrue();
          assertThat(lookup.value()).isEmpty();

          assertThat(lookup.find(8)).as("no such rowid").isFalse();
        }
      }
      // The lookup's read transactions are over: a writer on the same file is not blocked.
      try (Connection w = DriverManager.getConnection("jdbc:sqlite:" + db);
          Statement s = w.createStatement()) {
        assertThat(s.executeUpdate("DELETE FROM entries WHERE id = 7")).isEqualTo(1);
      }
    }
  }
}
