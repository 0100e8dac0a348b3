package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link DiskStore#check} reports beyond damaged entries: entries of a newer format are
 * not problems, tag rows of vanished entries and wrong byte totals are found and fixed, and an
 * orphan's report says its size until it is deleted.
 */
class DiskStoreCheckDetailsTest {
  @TempDir
  Path dir;

  private Connection db() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
  }

  private DiskStore open() {
    return DiskStore.open(dir, DiskStoreOptions.builder().sideFileThreshold(1024).build());
  }

  @Test
  void anEntryOfANewerFormatIsNeitherReportedNorRemoved() throws Exception {
    try (DiskStore store = open()) {
      byte[] newer = frame("from the future");
      store.put("a", "newer", newer, 0, List.of());
      store.flush();
      newer[4] = (byte) (dev.cachet.codec.EntryFrame.FORMAT_VERSION + 1);
      try (Connection c = db(); PreparedStatement ps = c.prepareStatement(
          "UPDATE entries SET value = ? WHERE digest = 'newer'")) {
        ps.setBytes(1, newer);
        ps.executeUpdate();
      }
      assertThat(store.check(true).problems()).isEmpty();
      assertThat(store.stats().entries()).isEqualTo(1);
      assertThat(store.stats().corruptions()).isZero();
    }
  }

  @Test
  void tagRowsOfVanishedEntriesAreCountedAndFixedOnlyWhenAsked() throws Exception {
    try (DiskStore store = open()) {
      store.put("a", "k", frame("v"), 0, List.of("kept"));
      store.flush();
      try (Connection c = db(); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO entry_tags(tag, entry_id) VALUES ('t', 12345), "
            + "('u', 12346)");
      }
      CheckReport found = store.check(false);
      assertThat(found.problems()).singleElement().satisfies(p -> {
        assertThat(p.kind()).isEqualTo(CheckReport.Kind.DANGLING_TAGS);
        assertThat(p.detail()).startsWith("2 tag rows");
        assertThat(p.fixed()).isFalse();
      });
      assertThat(store.check(false).problems()).as("not fixed by looking").hasSize(1);
      CheckReport fixed = store.check(true);
      assertThat(fixed.problems()).singleElement()
          .satisfies(p -> assertThat(p.fixed()).isTrue());
      assertThat(store.check(false).clean()).isTrue();
      assertThat(store.removeTag("kept")).isEqualTo(1);
    }
  }

  @Test
  void aWrongByteTotalAloneIsFoundAndFixed() throws Exception {
    try (DiskStore store = open()) {
      store.put("a", "x", frame("x"), 0, List.of());
      store.flush();
      long bytes = store.stats().bytes();
      try (Connection c = db(); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE counters SET value = value + 5 WHERE name = 'bytes'");
      }
      CheckReport found = store.check(false);
      assertThat(found.problems()).singleElement().satisfies(p -> {
        assertThat(p.kind()).isEqualTo(CheckReport.Kind.COUNTERS);
        assertThat(p.detail()).contains((bytes + 5) + " bytes").contains(bytes + " bytes");
        assertThat(p.fixed()).isFalse();
      });
      assertThat(store.stats().bytes()).isEqualTo(bytes + 5);
      assertThat(store.check(true).problems()).singleElement()
          .satisfies(p -> assertThat(p.fixed()).isTrue());
      assertThat(store.stats().bytes()).isEqualTo(bytes);
      assertThat(store.stats().entries()).isEqualTo(1);
    }
  }

  @Test
  void anOrphansReportGivesItsSizeUntilItIsDeleted() throws Exception {
    try (DiskStore store = open()) {
      Path orphan = dir.resolve(DiskStore.FILES_DIR).resolve("0001.entry");
      Files.write(orphan, new byte[] {1, 2, 3});
      assertThat(store.check(false).problems()).singleElement().satisfies(p -> {
        assertThat(p.detail()).isEqualTo("no entry names this file (3 bytes)");
        assertThat(p.namespace()).isNull();
      });
      CheckReport fixed = store.check(true);
      assertThat(fixed.problems()).singleElement().satisfies(p -> {
        assertThat(p.detail()).isEqualTo("no entry names this file");
        assertThat(p.fixed()).isTrue();
      });
      assertThat(fixed.filesChecked()).isEqualTo(1);
      assertThat(orphan).doesNotExist();
      assertThat(store.check(false).filesChecked()).isZero();
    }
  }
}
