package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a transaction that failed (here: the database locked by another connection past the
 * busy timeout), the writer drops its prepared statements and its next writes reach the
 * database: one failure does not turn every later write into a failure.
 */
class WriterAfterAFailedCommitTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private Connection jdbc() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
  }

  private long rowsOf(String digest) throws Exception {
    try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FROM entries WHERE digest = ?")) {
      ps.setString(1, digest);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void writesAfterAFailedTransactionReachTheDatabase() throws Exception {
    // No journal: a put is in the database when it returns, or failed.
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).busyTimeout(Duration.ofMillis(50)).build())) {
      store.put(NS, "before", frame("before"), 0, List.of("t"));
      try (Connection c = jdbc(); Statement s = c.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
        store.put(NS, "failed", frame("failed"), 0, List.of());
        s.execute("ROLLBACK");
      }
      assertThat(store.stats().failures()).isEqualTo(1);
      store.put(NS, "after", frame("after"), 0, List.of("t"));
      assertThat(rowsOf("after")).as("written by the same statements as before").isEqualTo(1);
      assertThat(rowsOf("failed")).isZero();
      assertThat(store.remove(NS, "before")).isTrue();
      assertThat(rowsOf("before")).isZero();
      assertThat(store.removeTag("t")).isEqualTo(1);
      assertThat(store.stats().failures()).as("no failure after the first").isEqualTo(1);
    }
  }
}
