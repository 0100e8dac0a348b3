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
 * A put journaled by this process drops its key's frame from the read cache at once, by
 * itself, not only once the journal's commit is logged: otherwise a read that raced with the
 * put could leave the older frame cached. The change log is silenced here (its triggers
 * dropped, as no real writer can), so that the put's own drop is the only one left: a read
 * that returns the older frame after the journal was applied was served from memory.
 */
class JournaledPutReadCacheTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  @Test
  void aJournaledPutDropsItsKeysCachedFrameWithoutTheChangeLog() throws Exception {
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ofMinutes(1)).readCache(1 << 20, Duration.ZERO)
        .accessFlush(Integer.MAX_VALUE, Duration.ofHours(1)).build())) {
      store.put(NS, "k", frame("old"), 0, List.of());
      store.flush();
      assertThat(store.get(NS, "k")).isEqualTo(frame("old")); // now in the read cache

      try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
          + dir.resolve(DiskStore.DB_FILE)); Statement s = c.createStatement()) {
        for (String t : List.of("insert", "delete", "update", "move")) {
          s.execute("DROP TRIGGER IF EXISTS entries_logged_" + t);
        }
      }

      store.put(NS, "k", frame("new"), 0, List.of());
      store.flush(); // applied to the database, and nothing logged
      assertThat(store.get(NS, "k")).as("the put dropped the cached frame")
          .isEqualTo(frame("new"));
    }
  }
}
