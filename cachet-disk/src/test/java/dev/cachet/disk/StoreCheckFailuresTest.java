package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link DiskStore#check} says when it cannot look at something: each step that fails is
 * a {@code CHECK_FAILED} problem, never fixed and never a clean report, and nothing is deleted
 * on the strength of a step that failed.
 */
class StoreCheckFailuresTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private DiskStore open() {
    return DiskStore.open(dir, DiskStoreOptions.builder().writeBehind(Duration.ZERO)
        .sideFileThreshold(1024).build());
  }

  private void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
        + dir.resolve(DiskStore.DB_FILE)); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private Path onlySideFile() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve(DiskStore.FILES_DIR))) {
      return files.findFirst().orElseThrow();
    }
  }

  @Test
  void aCheckThatCannotReadTheEntriesReportsEachStepThatFailedAndDeletesNoFile()
      throws Exception {
    try (DiskStore store = open()) {
      store.put(NS, "large", frame(4000, 1), 0, List.of());
      Path side = onlySideFile();
      sql("ALTER TABLE entries RENAME TO entries_away");
      CheckReport report = store.check(true);
      sql("ALTER TABLE entries_away RENAME TO entries");

      assertThat(report.problems()).extracting(CheckReport.Problem::kind)
          .containsExactly(CheckReport.Kind.CHECK_FAILED, CheckReport.Kind.CHECK_FAILED,
              CheckReport.Kind.CHECK_FAILED);
      assertThat(report.problems()).extracting(CheckReport.Problem::detail)
          .anySatisfy(d -> assertThat(d).startsWith("cannot read the entries"))
          .anySatisfy(d -> assertThat(d).startsWith("cannot read the side file names"))
          .anySatisfy(d -> assertThat(d).startsWith("cannot check the totals"));
      assertThat(report.healthy()).isFalse();
      assertThat(report.entriesChecked()).isZero();
      assertThat(report.filesChecked()).as("listed, though not judged").isEqualTo(1);
      assertThat(side).as("a named file is no orphan just because names cannot be read")
          .exists();
      assertThat(store.get(NS, "large")).isEqualTo(frame(4000, 1));
      assertThat(store.check(false).clean()).isTrue();
    }
  }

  @Test
  void aSideFileThatCannotBeReadIsACheckFailureNotDamageAndIsLeftAlone() throws Exception {
    try (DiskStore store = open()) {
      store.put(NS, "large", frame(4000, 1), 0, List.of());
      Path side = onlySideFile();
      Path away = dir.resolve("side-away");
      Files.move(side, away);
      Files.createDirectory(side); // reading it fails, and it is not missing
      CheckReport report = store.check(true);
      assertThat(report.problems()).singleElement().satisfies(p -> {
        assertThat(p.kind()).isEqualTo(CheckReport.Kind.CHECK_FAILED);
        assertThat(p.namespace()).isEqualTo(NS);
        assertThat(p.location()).isEqualTo("large");
        assertThat(p.detail()).startsWith("cannot read the side file " + side);
        assertThat(p.fixed()).isFalse();
      });
      assertThat(store.stats().entries()).as("not removed").isEqualTo(1);
      assertThat(store.stats().corruptions()).isZero();
      Files.delete(side);
      Files.move(away, side);
      assertThat(store.get(NS, "large")).isEqualTo(frame(4000, 1));
    }
  }

  @Test
  void aSideFileFolderThatCannotBeListedIsACheckFailure() throws Exception {
    try (DiskStore store = open()) {
      store.put(NS, "small", frame("s"), 0, List.of());
      Path files = dir.resolve(DiskStore.FILES_DIR);
      Path away = dir.resolve("files-away");
      Files.move(files, away);
      Files.writeString(files, "not a folder");
      CheckReport report = store.check(true);
      assertThat(report.problems()).singleElement().satisfies(p -> {
        assertThat(p.kind()).isEqualTo(CheckReport.Kind.CHECK_FAILED);
        assertThat(p.location()).isEqualTo(files.toString());
        assertThat(p.detail()).startsWith("cannot list the side files");
        assertThat(p.fixed()).isFalse();
      });
      assertThat(report.filesChecked()).isZero();
      assertThat(report.entriesChecked()).isEqualTo(1);
      Files.delete(files);
      Files.move(away, files);
      assertThat(store.check(false).clean()).isTrue();
    }
  }
}
