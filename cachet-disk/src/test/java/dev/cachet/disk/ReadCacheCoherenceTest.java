package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the read cache must stop trusting what it holds: another process's change once the
 * staleness bound has passed, a change log it cannot read, more changes than one sync lists,
 * and a frame read while a change was being applied. The witness, as in
 * {@link ReadCacheServingTest}: rows rewritten with the change log's update trigger dropped, so
 * a read that returns the rewritten frame went to the database and one that returns the old
 * frame was served from memory.
 */
class ReadCacheCoherenceTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private DiskStore open(Duration staleness) {
    return DiskStore.open(dir, DiskStoreOptions.builder().writeBehind(Duration.ZERO)
        .readCache(1 << 20, staleness).build());
  }

  private Connection db() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
  }

  private void sql(String statement) throws Exception {
    try (Connection c = db(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  /** Another process's change: the row's value replaced, and the change logged. */
  private void changeLogged(String digest, byte[] value) throws Exception {
    try (Connection c = db(); PreparedStatement ps = c.prepareStatement(
        "UPDATE entries SET value = ? WHERE digest = ?")) {
      ps.setBytes(1, value);
      ps.setString(2, digest);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  /** A change no read cache can hear of: the value replaced with the update trigger gone. */
  private void rewriteUnlogged(String digest, byte[] value) throws Exception {
    sql("DROP TRIGGER IF EXISTS entries_logged_update");
    changeLogged(digest, value);
  }

  @Test
  void anotherProcesssChangeIsSeenOnceTheStalenessBoundHasPassed() throws Exception {
    // A bound of one nanosecond has always passed by the next read.
    try (DiskStore store = open(Duration.ofNanos(1))) {
      store.put(NS, "k", frame("v1"), 0, List.of());
      assertThat(store.get(NS, "k")).isEqualTo(frame("v1"));
      assertThat(store.get(NS, "k")).isEqualTo(frame("v1"));
      changeLogged("k", frame("v2"));
      assertThat(store.get(NS, "k")).isEqualTo(frame("v2"));
    }
  }

  @Test
  void aChangeLogThatCannotBeReadDropsEveryCachedFrame() throws Exception {
    try (DiskStore store = open(Duration.ZERO)) {
      store.put(NS, "k", frame("v1"), 0, List.of());
      assertThat(store.get(NS, "k")).isEqualTo(frame("v1"));
      rewriteUnlogged("k", frame("v2"));
      assertThat(store.get(NS, "k")).as("still from memory").isEqualTo(frame("v1"));
      sql("ALTER TABLE changes RENAME TO changes_away");
      assertThat(store.get(NS, "k")).as("whatever changed cannot be told: from the database")
          .isEqualTo(frame("v2"));
      sql("ALTER TABLE changes_away RENAME TO changes");
      assertThat(store.get(NS, "k")).isEqualTo(frame("v2"));
    }
  }

  @Test
  void moreChangesThanOneSyncListsDropEveryCachedFrame() throws Exception {
    try (DiskStore store = open(Duration.ZERO)) {
      store.put(NS, "k", frame("v1"), 0, List.of());
      assertThat(store.get(NS, "k")).isEqualTo(frame("v1"));
      rewriteUnlogged("k", frame("v2"));
      // One more logged change than a sync reads, none of them of "k".
      sql("INSERT INTO entries(id, namespace, digest, size, created, accessed, expires, "
          + "access_count, tags, value, file, keycheck) "
          + "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < "
          + (ReadCache.MAX_SYNC_IDS + 1) + ") "
          + "SELECT x, 'other', 'd' || x, 1, 0, 0, 0, 1, '', x'00', NULL, 1 FROM n");
      assertThat(store.get(NS, "k")).as("the cache cannot tell what changed: dropped")
          .isEqualTo(frame("v2"));
    }
  }

  @Test
  void aFrameReadWhileAChangeWasAppliedIsNotCached() throws Exception {
    try (DiskStore store = open(Duration.ZERO)) {
      store.put(NS, "k", frame("v1"), 0, List.of());
      assertThat(store.get(NS, "k")).isEqualTo(frame("v1"));
      changeLogged("k", frame("v2"));
      // This read syncs after it began: the frame it then reads is not cached, since a change
      // was applied between the start of the read and the fill.
      assertThat(store.get(NS, "k")).isEqualTo(frame("v2"));
      rewriteUnlogged("k", frame("v3"));
      assertThat(store.get(NS, "k")).as("not cached: from the database")
          .isEqualTo(frame("v3"));
      rewriteUnlogged("k", frame("v4"));
      assertThat(store.get(NS, "k")).as("the previous read, undisturbed, cached its frame")
          .isEqualTo(frame("v3"));
    }
  }
  @Test
  void aFrameHeavierThanTheCachesByteBudgetIsReadFromTheDatabaseEachTime() throws Exception {
    // Each cached frame weighs its length plus a fixed overhead against the budget.
    byte[] heavy = frame(900, 1);
    byte[] light = frame("light");
    int budget = heavy.length + 50;
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).readCache(budget, Duration.ZERO).build())) {
      store.put(NS, "heavy", heavy, 0, List.of());
      store.put(NS, "light", light, 0, List.of());
      assertThat(store.get(NS, "heavy")).isEqualTo(heavy);
      assertThat(store.get(NS, "light")).isEqualTo(light);
      rewriteUnlogged("heavy", frame(900, 2));
      rewriteUnlogged("light", frame("LIGHT"));
      assertThat(store.get(NS, "heavy")).as("over budget: from the database")
          .isEqualTo(frame(900, 2));
      assertThat(store.get(NS, "light")).as("within budget: from memory").isEqualTo(light);
    }
  }
}
