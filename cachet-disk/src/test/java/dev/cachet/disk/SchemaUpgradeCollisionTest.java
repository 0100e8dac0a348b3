package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade from schema version 1 when two entries want the same rowid (a hash collision, or
 * a row already sitting where another key hashes to): one entry is dropped as a miss, never
 * served for the other key, its side file is deleted by the next write instead of being left
 * behind, and the totals stay right.
 */
class SchemaUpgradeCollisionTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private Connection jdbc() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
  }

  private List<String> sideFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve(DiskStore.FILES_DIR))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A digest whose rowid is positive, so that version 1's small rowids are read before it. */
  private static String digestWithPositiveRowid(String prefix) {
    for (int i = 0; ; i++) {
      if (EntryKeysTest.hashes(NS, prefix + i)[0] > 0) {
        return prefix + i;
      }
    }
  }

  @Test
  void anEntryWhoseRowidIsTakenIsDroppedWithItsSideFileAndTheOthersMove() throws Exception {
    String loser = digestWithPositiveRowid("loser");
    byte[] large = frame(20_000, 7);
    byte[] squatterValue = frame("squatter");
    DiskStoreOptions options = DiskStoreOptions.builder().sideFileThreshold(1024)
        .writeBehind(Duration.ZERO).build();
    try (DiskStore store = DiskStore.open(dir, options)) {
      store.put(NS, loser, large, 0, List.of("t"));
      store.put(NS, "squatter", squatterValue, 0, List.of("t"));
      for (int i = 0; i < 5; i++) {
        store.put(NS, "k" + i, frame("v" + i), 0, List.of());
      }
    }
    assertThat(sideFiles()).as("the loser's value is in a side file").hasSize(1);
    // Version 1's shape, rows numbered 1, 2, 3, ... except the squatter, which sits at the
    // rowid the loser's key hashes to: the loser is moved first and finds it taken.
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE entries DROP COLUMN keycheck");
      List<Long> ids = new ArrayList<>();
      List<String> digests = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT id, digest FROM entries ORDER BY digest")) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
          digests.add(rs.getString(2));
        }
      }
      long next = 1;
      for (int i = 0; i < ids.size(); i++) {
        long to = digests.get(i).equals("squatter") ? EntryKeysTest.hashes(NS, loser)[0]
            : next++;
        s.executeUpdate("UPDATE entries SET id = " + to + " WHERE id = " + ids.get(i));
        s.executeUpdate("UPDATE entry_tags SET entry_id = " + to + " WHERE entry_id = "
            + ids.get(i));
      }
      s.executeUpdate("UPDATE meta SET value = '1' WHERE key = 'schema_version'");
    }
    try (DiskStore store = DiskStore.open(dir, options)) {
      assertThat(store.get(NS, loser)).as("dropped: a miss, not another key's value").isNull();
      assertThat(store.get(NS, "squatter")).isEqualTo(squatterValue);
      for (int i = 0; i < 5; i++) {
        assertThat(store.get(NS, "k" + i)).isEqualTo(frame("v" + i));
      }
      assertThat(store.stats().entries()).isEqualTo(6);
      assertThat(store.stats().bytes()).as("the totals lost the dropped entry")
          .isEqualTo(squatterValue.length + 5L * frame("v0").length);
      store.put(NS, "after", frame("after"), 0, List.of());
      assertThat(sideFiles()).as("the dropped entry's file goes with the next write").isEmpty();
      assertThat(store.removeTag("t")).as("the squatter kept its tag").isEqualTo(1);
    }
  }
}
