package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the inspection calls do when the database fails under them: nothing is thrown to the
 * caller, the answer is empty, every failure is counted in {@code stats().failures()}, and
 * {@code removeOrphanFiles} deletes no file while it cannot tell which ones rows name. The
 * failure: another connection renames a table away (SQLite then reports "no such table"), and
 * back.
 */
class InspectionFailuresTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
        + dir.resolve(DiskStore.DB_FILE)); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  @Test
  void inspectionOfAFailingDatabaseAnswersEmptyAndCountsEachFailure() throws Exception {
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).build())) {
      store.put(NS, "k", frame("v"), 0, List.of());
      sql("ALTER TABLE entries RENAME TO entries_away");
      assertThat(store.digests(NS, 10)).isEmpty();
      assertThat(store.stats().failures()).as("digests").isEqualTo(1);
      assertThat(store.entries(NS, 10)).isEmpty();
      assertThat(store.stats().failures()).as("entries").isEqualTo(2);
      assertThat(store.peek(NS, "k")).isNull();
      assertThat(store.stats().failures()).as("peek").isEqualTo(3);
      sql("ALTER TABLE entries_away RENAME TO entries");

      sql("ALTER TABLE counters RENAME TO counters_away");
      assertThat(store.stats().failures()).as("stats itself, with the buffered count")
          .isEqualTo(4);
      sql("ALTER TABLE counters_away RENAME TO counters");
      assertThat(store.stats().failures()).isEqualTo(4);
      assertThat(store.stats().entries()).isEqualTo(1);
      assertThat(store.peek(NS, "k")).isNotNull();
    }
  }

  @Test
  void removeOrphanFilesDeletesNothingWhileItCannotReadWhichFilesRowsName() throws Exception {
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).sideFileThreshold(1024).build())) {
      store.put(NS, "large", frame(4000, 1), 0, List.of());
      Path files = dir.resolve(DiskStore.FILES_DIR);
      Path named;
      try (var listing = Files.list(files)) {
        named = listing.findFirst().orElseThrow();
      }
      Path orphan = files.resolve("00000000-0000-0000-0000-000000000000.entry");
      Files.write(orphan, new byte[] {1});
      FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000L);
      Files.setLastModifiedTime(orphan, old);
      Files.setLastModifiedTime(named, old);

      sql("ALTER TABLE entries RENAME TO entries_away");
      assertThat(store.removeOrphanFiles(Duration.ofMinutes(1))).isZero();
      sql("ALTER TABLE entries_away RENAME TO entries");
      assertThat(named).as("named by a row it could not read").exists();
      assertThat(orphan).exists();
      assertThat(store.stats().failures()).isEqualTo(1);

      assertThat(store.removeOrphanFiles(Duration.ofMinutes(1))).isEqualTo(1);
      assertThat(orphan).doesNotExist();
      assertThat(store.get(NS, "large")).isEqualTo(frame(4000, 1));
    }
  }
}
