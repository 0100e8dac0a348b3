package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static dev.cachet.disk.WriteJournalTest.frameOfLength;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a store leaves behind: a put that failed leaves no side file, and a closed store holds
 * no descriptor on any of its files (SQLite's, the lock file, the journal), however many
 * threads read from it.
 */
class DiskStoreCleanupTest {
  private static final String NS = "fn:1:code:type";
  private static final int THRESHOLD = 1024;

  @TempDir
  Path dir;

  private long sideFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve(DiskStore.FILES_DIR))) {
      return files.count();
    }
  }

  @Test
  void aPutThatCouldNotBeCommittedLeavesNoSideFileBehind() throws Exception {
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .sideFileThreshold(THRESHOLD).busyTimeout(Duration.ofMillis(100)).build())) {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
          DiskStore.DB_FILE)); Statement s = c.createStatement()) {
        s.execute("BEGIN EXCLUSIVE");
        store.put(NS, "large", frameOfLength(THRESHOLD + 1, 1), 0, List.of()); // fails
        s.execute("ROLLBACK");
      }
      assertThat(store.stats().failures()).isEqualTo(1);
      assertThat(sideFiles()).as("the failed put's file is deleted").isZero();
      assertThat(store.get(NS, "large")).isNull();
      store.put(NS, "large", frameOfLength(THRESHOLD + 1, 1), 0, List.of());
      assertThat(sideFiles()).isEqualTo(1);
    }
  }

  @Test
  void aClosedStoreHoldsNoDescriptorOnItsFilesHoweverManyThreadsReadFromIt() throws Exception {
    assumeThat(Files.isDirectory(OpenDescriptors.FD_DIR)).isTrue();
    DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .sideFileThreshold(THRESHOLD).writeBehind(Duration.ofMinutes(1)).build());
    store.put(NS, "small", frame("v"), 0, List.of());
    store.put(NS, "large", frameOfLength(THRESHOLD + 1, 2), 0, List.of());
    store.flush();
    store.put(NS, "journaled", frame("j"), 0, List.of());
    int threads = 24;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> reads = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        reads.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            assertThat(store.get(NS, "small")).isNotNull();
            assertThat(store.get(NS, "large")).isNotNull();
            assertThat(store.get(NS, "absent" + i)).isNull();
          }
          return null;
        }));
      }
      for (Future<?> f : reads) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(OpenDescriptors.under(dir)).as("open while the store is").isNotEmpty();
    store.close();
    assertThat(OpenDescriptors.under(dir)).as("nothing left open once closed").isEmpty();
    try (DiskStore again = DiskStore.open(dir)) {
      assertThat(again.get(NS, "journaled")).isEqualTo(frame("j"));
    }
  }
}
