package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A close runs the store's last group commit (buffered reads and counters); when another
 * connection holds the database past the busy timeout, that commit cannot happen, and the
 * close says so in the log instead of dropping it silently, and still closes. A flush that
 * cannot commit is counted and logged under its own name too.
 */
class ClosingALockedStoreTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  @Test
  void aCloseThatCannotWriteItsLastCommitLogsItAndStillCloses() throws Exception {
    StoreWarnings warnings = new StoreWarnings();
    warnings.start();
    try {
      DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
          .writeBehind(Duration.ZERO).busyTimeout(Duration.ofMillis(50)).build());
      store.put(NS, "k", frame("k"), 0, List.of());
      assertThat(store.get(NS, "k")).isEqualTo(frame("k")); // a read to write at close
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
          + dir.resolve(DiskStore.DB_FILE)); Statement s = c.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
        store.close();
        s.execute("ROLLBACK");
      }
      assertThat(warnings.messages()).anySatisfy(m -> assertThat(m)
          .contains(dir.toString()).contains("flush failed"));
      try (DiskStore again = DiskStore.open(dir)) {
        assertThat(again.get(NS, "k")).as("what was committed before").isEqualTo(frame("k"));
      }
    } finally {
      warnings.stop();
    }
  }

  @Test
  void aFlushThatCannotCommitIsCountedAndLoggedAsAFlush() throws Exception {
    StoreWarnings warnings = new StoreWarnings();
    warnings.start();
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).busyTimeout(Duration.ofMillis(50)).build())) {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
          + dir.resolve(DiskStore.DB_FILE)); Statement s = c.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
        store.flush(); // never throws
        s.execute("ROLLBACK");
      }
      assertThat(store.stats().failures()).isEqualTo(1);
      assertThat(warnings.messages()).anySatisfy(m -> assertThat(m)
          .contains(dir.toString() + ": flush failed"));
    } finally {
      warnings.stop();
    }
  }
}
