package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.tier.StoreStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database page SQLite finds damaged while reading (not at open): each read that meets it is
 * a miss counted as a corruption, the damage is logged once with the file, and the store goes
 * on serving what it still can.
 */
class DiskStoreDamagedPageTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  @Test
  void aReadThatMeetsADamagedTablePageIsAMissCountedAsCorruptionAndLoggedOnce()
      throws Exception {
    Path db = dir.resolve(DiskStore.DB_FILE);
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).build())) {
      store.put(NS, "k", frame("v"), 0, List.of());
    }
    long root;
    long pageSize;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(
          "SELECT rootpage FROM sqlite_master WHERE name = 'entries'")) {
        rs.next();
        root = rs.getLong(1);
      }
      try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
        rs.next();
        pageSize = rs.getLong(1);
      }
    }
    assertThat(dir.resolve(DiskStore.DB_FILE + "-wal")).satisfiesAnyOf(
        p -> assertThat(p).doesNotExist(), p -> assertThat(Files.size(p)).isZero());
    byte[] bytes = Files.readAllBytes(db);
    bytes[(int) ((root - 1) * pageSize)] = 0; // no valid b-tree page type
    Files.write(db, bytes);

    StoreWarnings warnings = new StoreWarnings();
    warnings.start();
    try (DiskStore store = DiskStore.open(dir)) {
      assertThat(store.get(NS, "k")).isNull();
      assertThat(store.get(NS, "k")).isNull();
      StoreStats stats = store.stats();
      assertThat(stats.corruptions()).as("each read that met the damage").isEqualTo(2);
      assertThat(stats.misses()).isEqualTo(2);
      assertThat(stats.hits()).isZero();
      assertThat(warnings.messages()).filteredOn(m -> m.contains("is damaged"))
          .singleElement().satisfies(m -> assertThat(m).contains(db.toString()));
    } finally {
      warnings.stop();
    }
  }
}
