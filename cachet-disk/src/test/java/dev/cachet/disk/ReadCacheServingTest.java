package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static dev.cachet.disk.WriteJournalTest.frameOfLength;
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
 * Which reads the read cache serves from memory. The witness: the test rewrites rows behind
 * the change log's back (its update trigger dropped, as no real writer can), so a read that
 * returns the old frame was served from memory, and one that returns the new frame read the
 * database. With a staleness of zero every cached read first syncs with the log, so nothing
 * here depends on timing.
 */
class ReadCacheServingTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private final DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();

  private DiskStore open() {
    return DiskStore.open(dir, DiskStoreOptions.builder().writeBehind(Duration.ZERO)
        .readCache(1 << 20, Duration.ZERO).clock(clock).build());
  }

  /** Replaces a row's value without logging the change, so no read cache hears of it. */
  private void rewriteUnlogged(String digest, byte[] value) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
        DiskStore.DB_FILE))) {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TRIGGER IF EXISTS entries_logged_update");
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE entries SET value = ? WHERE digest = ?")) {
        ps.setBytes(1, value);
        ps.setString(2, digest);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
    }
  }

  @Test
  void framesUpTo16KiBReadOnceAreServedFromMemoryAndLargerOnesFromTheDatabase()
      throws Exception {
    int max = ReadCache.MAX_FRAME_BYTES;
    try (DiskStore store = open()) {
      store.put(NS, "small", frame("small"), 0, List.of());
      store.put(NS, "at", frameOfLength(max, 1), 0, List.of());
      store.put(NS, "beyond", frameOfLength(max + 1, 2), 0, List.of());
      for (String d : List.of("small", "at", "beyond")) {
        assertThat(store.get(NS, d)).isNotNull();
      }
      rewriteUnlogged("small", frame("SMALL"));
      rewriteUnlogged("at", frameOfLength(max, 3));
      rewriteUnlogged("beyond", frameOfLength(max + 1, 4));
      assertThat(store.get(NS, "small")).as("from memory").isEqualTo(frame("small"));
      assertThat(store.get(NS, "at")).as("16 KiB, from memory").isEqualTo(frameOfLength(max, 1));
      assertThat(store.get(NS, "beyond")).as("larger: from the database")
          .isEqualTo(frameOfLength(max + 1, 4));
      store.put(NS, "other", frame("o"), 0, List.of()); // this process's commit: a sync
      assertThat(store.get(NS, "small")).as("unchanged keys stay cached")
          .isEqualTo(frame("small"));
      assertThat(store.stats().hits()).isEqualTo(7);
      assertThat(store.remove(NS, "small")).isTrue();
      assertThat(store.get(NS, "small")).as("a logged change drops it").isNull();
    }
  }

  @Test
  void aCachedFrameIsServedUntilTheMillisecondItExpiresThenTheDatabaseDecides()
      throws Exception {
    try (DiskStore store = open()) {
      long expires = clock.millis + 1000;
      store.put(NS, "brief", frame("brief"), expires, List.of());
      store.put(NS, "never", frame("never"), 0, List.of());
      assertThat(store.get(NS, "brief")).isNotNull();
      assertThat(store.get(NS, "never")).isNotNull();
      rewriteUnlogged("brief", frame("BRIEF"));
      rewriteUnlogged("never", frame("NEVER"));
      clock.millis = expires - 1;
      assertThat(store.get(NS, "brief")).as("from memory until it expires")
          .isEqualTo(frame("brief"));
      assertThat(store.get(NS, "never")).as("no expiry: from memory")
          .isEqualTo(frame("never"));
      clock.millis = expires;
      assertThat(store.get(NS, "brief")).as("expired: the database's row is expired too")
          .isNull();
      assertThat(store.stats().expirations()).isEqualTo(1);
    }
  }
}
