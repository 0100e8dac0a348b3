package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan for dead journals, which every open runs, keeps no descriptor on the files it
 * deletes: a journal whose process died before naming it is deleted, and its descriptor closed
 * with it, so a long-running process that opens stores does not collect descriptors of
 * deleted files (which also keep their disk space until closed).
 */
class JournalScanDescriptorsTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  @Test
  void aJournalNeverNamedIsDeletedWithoutKeepingADescriptorOnIt() throws Exception {
    assumeThat(Files.isDirectory(OpenDescriptors.FD_DIR)).isTrue();
    Path journals = dir.resolve(DiskStore.JOURNAL_DIR);
    Files.createDirectories(journals);
    Path born = journals.resolve("dead-0.journal.new");
    Files.write(born, new byte[] {1, 2, 3});
    String name = born.getFileName().toString();

    try (DiskStore store = DiskStore.open(dir)) {
      assertThat(born).as("deleted by the scan at open").doesNotExist();
      assertThat(OpenDescriptors.targets()).as("and its descriptor closed")
          .noneMatch(t -> t.toString().contains(name));
      store.put(NS, "k", frame("v"), 0, List.of());
      assertThat(store.get(NS, "k")).isEqualTo(frame("v"));
    }
  }
}
