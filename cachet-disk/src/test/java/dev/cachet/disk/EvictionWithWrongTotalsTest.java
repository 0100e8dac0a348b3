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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eviction trusts the totals the triggers keep; when they are wrong (a damaged page, a hand
 * edit) and claim the store is over its limit, a write must still return: eviction takes the
 * older entries, then the new ones, and stops when no row is left, and {@code check(true)}
 * then puts the totals right.
 */
class EvictionWithWrongTotalsTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  @Test
  @Timeout(60) // the failure this guards against is a write that never returns
  void totalsThatClaimTheStoreIsOverItsLimitEmptyItAndTheWriteStillReturns() throws Exception {
    int size = frame("a").length;
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).maximumBytes(10L * size).build())) {
      store.put(NS, "a", frame("a"), 0, List.of());
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
          + dir.resolve(DiskStore.DB_FILE)); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE counters SET value = value + 1000000 WHERE name = 'bytes'");
        s.executeUpdate("UPDATE counters SET value = value + 5 WHERE name = 'entries'");
      }
      store.put(NS, "b", frame("b"), 0, List.of());

      assertThat(store.stats().evictions()).as("the old entry, then the new one").isEqualTo(2);
      assertThat(store.get(NS, "a")).isNull();
      assertThat(store.get(NS, "b")).isNull();
      assertThat(store.check(true).problems()).extracting(CheckReport.Problem::kind)
          .containsExactly(CheckReport.Kind.COUNTERS);
      store.put(NS, "c", frame("c"), 0, List.of());
      assertThat(store.get(NS, "c")).isEqualTo(frame("c"));
      assertThat(store.stats().evictions()).isEqualTo(2);
    }
  }
}
