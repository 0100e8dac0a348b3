package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static dev.cachet.disk.Frames.indexOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
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
 * Once a read meets a damaged page of the database, the frames the read cache took from that
 * database before are not trusted any more: the next reads go to the database, which decides.
 * The witness that a read came from the database and not from memory: the row was rewritten
 * behind the change log's back (its update trigger dropped, as no real writer can), so only a
 * read of the database returns the new frame.
 */
class DamagedDatabaseReadCacheTest {
  private static final String NS = "fn:1:code:type";
  /**
   * Frames too large for two rows to share a page of a new store (1 KiB), small enough to sit
   * on their row's page rather than on overflow pages.
   */
  private static final int SIZE = 550;

  @TempDir
  Path dir;

  private Connection jdbc() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
  }

  @Test
  void afterADamagedPageShowsTheReadCacheServesNothingItReadBefore() throws Exception {
    byte[] cachedA = frame(SIZE, 1);
    byte[] rewrittenA = frame(SIZE, 3);
    byte[] b = frame(SIZE, 2);
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).readCache(1 << 20, Duration.ZERO)
        .accessFlush(Integer.MAX_VALUE, Duration.ofHours(1)).build())) {
      store.put(NS, "a", cachedA, 0, List.of());
      store.put(NS, "b", b, 0, List.of());
      assertThat(store.get(NS, "a")).isEqualTo(cachedA); // now in the read cache

      long pageSize;
      try (Connection c = jdbc(); Statement s = c.createStatement()) {
        s.execute("DROP TRIGGER IF EXISTS entries_logged_update");
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE entries SET value = ? WHERE digest = ?")) {
          ps.setBytes(1, rewrittenA);
          ps.setString(2, "a");
          assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
          rs.next();
          assertThat(rs.getInt(1)).as("checkpointed: every page is in the database file")
              .isZero();
        }
        try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
          rs.next();
          pageSize = rs.getLong(1);
        }
      }
      assertThat(store.get(NS, "a")).as("served from memory: nothing logged a change")
          .isEqualTo(cachedA);

      Path db = dir.resolve(DiskStore.DB_FILE);
      byte[] bytes = Files.readAllBytes(db);
      int atB = indexOf(bytes, b);
      int atA = indexOf(bytes, rewrittenA);
      assertThat(atB).as("b stored inline").isPositive();
      assertThat(atA).isPositive();
      long pageB = atB / pageSize;
      assertThat(pageB).as("a and b on pages of their own").isNotEqualTo(atA / pageSize)
          .isPositive();
      try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
        f.seek(pageB * pageSize);
        f.write(0); // no valid b-tree page type
      }

      assertThat(store.get(NS, "b")).as("meets the damaged page").isNull();
      assertThat(store.get(NS, "a")).as("read from the database again")
          .isEqualTo(rewrittenA);
    }
  }
}
