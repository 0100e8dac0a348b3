package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * What {@link DiskStore#check} reports that users act on: damage SQLite's own check finds, the
 * entries still in this process's journal, damage it could not repair (never claimed fixed,
 * and counted as a failure), and an empty orphan's size; a closed store refuses to check.
 */
class StoreCheckReportingTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private Connection db() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
  }

  private void sql(String statement) throws Exception {
    try (Connection c = db(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private DiskStore open() {
    return DiskStore.open(dir, DiskStoreOptions.builder().writeBehind(Duration.ZERO).build());
  }

  @Test
  void damageThatSqlitesOwnCheckFindsIsReportedAndNeverClaimedFixed() throws Exception {
    Path dbFile = dir.resolve(DiskStore.DB_FILE);
    try (DiskStore store = open()) {
      store.put(NS, "k", frame("v"), 0, List.of());
    }
    // The index of remembered removals: damaged, while every table the check reads is intact.
    long root;
    long pageSize;
    try (Connection c = db(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(
          "SELECT rootpage FROM sqlite_master WHERE name = 'drops_at'")) {
        rs.next();
        root = rs.getLong(1);
      }
      try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
        rs.next();
        pageSize = rs.getLong(1);
      }
    }
    byte[] bytes = Files.readAllBytes(dbFile);
    bytes[(int) ((root - 1) * pageSize)] = 0; // no valid b-tree page type
    Files.write(dbFile, bytes);

    try (DiskStore store = open()) {
      CheckReport report = store.check(true);
      assertThat(report.problems()).isNotEmpty().allSatisfy(p -> {
        assertThat(p.kind()).isEqualTo(CheckReport.Kind.DATABASE);
        assertThat(p.location()).isEqualTo(dbFile.toString());
        assertThat(p.detail()).startsWith("SQLite quick_check");
        assertThat(p.fixed()).isFalse();
      });
      assertThat(report.healthy()).isFalse();
      assertThat(report.entriesChecked()).isEqualTo(1);
    }
  }

  @Test
  void theCheckExaminesPutsStillWaitingInThisProcesssJournal() {
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ofMinutes(1)).build())) {
      for (int i = 0; i < 3; i++) {
        store.put(NS, "k" + i, frame("v" + i), 0, List.of());
      }
      CheckReport report = store.check(false);
      assertThat(report.entriesChecked()).isEqualTo(3);
      assertThat(report.clean()).isTrue();
    }
  }

  @Test
  void aClosedStoreRefusesToCheck() {
    DiskStore store = open();
    store.close();
    assertThatThrownBy(() -> store.check(false)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.check(true)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aDamagedEntryTheCheckCannotRemoveIsReportedUnfixedAndCountedAsAFailure()
      throws Exception {
    try (DiskStore store = open()) {
      store.put(NS, "k", frame("v"), 0, List.of());
      byte[] damaged = frame("v");
      damaged[damaged.length - 1] ^= 0x55;
      try (Connection c = db(); PreparedStatement ps = c.prepareStatement(
          "UPDATE entries SET value = ? WHERE digest = 'k'")) {
        ps.setBytes(1, damaged);
        ps.executeUpdate();
      }
      sql("CREATE TRIGGER keep_entries BEFORE DELETE ON entries "
          + "BEGIN SELECT RAISE(ABORT, 'kept'); END");
      CheckReport report = store.check(true);
      assertThat(report.problems()).singleElement().satisfies(p -> {
        assertThat(p.kind()).isEqualTo(CheckReport.Kind.CORRUPT_ENTRY);
        assertThat(p.fixed()).isFalse();
      });
      assertThat(store.stats().failures()).isEqualTo(1);
      assertThat(store.stats().corruptions()).as("nothing was removed").isZero();
      sql("DROP TRIGGER keep_entries");
      assertThat(store.check(true).problems()).singleElement()
          .satisfies(p -> assertThat(p.fixed()).isTrue());
      assertThat(store.stats().corruptions()).isEqualTo(1);
    }
  }

  @Test
  void anOrphanTheCheckCannotDeleteIsReportedUnfixedWithItsSizeAndCountedAsAFailure()
      throws Exception {
    try (DiskStore store = open()) {
      Path files = dir.resolve(DiskStore.FILES_DIR);
      Path stuck = files.resolve("stuck");
      Files.createDirectory(stuck);
      Files.write(stuck.resolve("inside"), new byte[] {1}); // a folder that is not empty
      Path empty = files.resolve("empty.entry");
      Files.write(empty, new byte[0]);
      List<CheckReport.Problem> found = store.check(false).problems();
      assertThat(found).filteredOn(p -> p.location().equals(empty.toString()))
          .singleElement().satisfies(p -> assertThat(p.detail())
              .isEqualTo("no entry names this file (0 bytes)"));

      CheckReport report = store.check(true);
      assertThat(report.problems()).filteredOn(p -> p.location().equals(stuck.toString()))
          .singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(CheckReport.Kind.ORPHAN_FILE);
            assertThat(p.fixed()).isFalse();
            assertThat(p.detail()).matches("no entry names this file \\(\\d+ bytes\\)");
          });
      assertThat(report.remaining()).hasSize(1);
      assertThat(store.stats().failures()).isEqualTo(1);
      assertThat(empty).doesNotExist();
    }
  }
}
