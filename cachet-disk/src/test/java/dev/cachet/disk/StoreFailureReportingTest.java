package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.tier.StoreStats;
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
 * How an open store reports trouble that is not damage: every failing read is counted in
 * {@code failures} and is a miss, the entry stays (the trouble may pass), and the log names
 * the store and the operation once per kind of failure, not once per call, so that a disk in
 * trouble does not flood the application's log.
 */
class StoreFailureReportingTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  @Test
  void eachFailingReadIsCountedAndItsKindIsLoggedOnceNamingTheStore() throws Exception {
    StoreWarnings warnings = new StoreWarnings();
    warnings.start();
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).sideFileThreshold(1024).build())) {
      byte[] large = frame(5000, 1);
      store.put(NS, "k", large, 0, List.of());
      Path file;
      try (Stream<Path> files = Files.list(dir.resolve(DiskStore.FILES_DIR))) {
        file = files.findFirst().orElseThrow();
      }
      // A directory where the side file was: reading it is an I/O error, not a missing file.
      Path away = dir.resolve("away");
      Files.move(file, away);
      Files.createDirectory(file);

      assertThat(store.get(NS, "k")).isNull();
      assertThat(store.get(NS, "k")).isNull();
      assertThat(store.get(NS, "k")).isNull();

      StoreStats stats = store.stats();
      assertThat(stats.failures()).as("every failing read").isEqualTo(3);
      assertThat(stats.misses()).isEqualTo(3);
      assertThat(stats.corruptions()).as("not damage").isZero();
      assertThat(stats.entries()).as("kept: the trouble may pass").isEqualTo(1);
      assertThat(warnings.messages()).filteredOn(m -> m.contains("failed"))
          .as("one line for the three failures of one kind").singleElement()
          .satisfies(m -> assertThat(m).startsWith("disk:" + dir.toAbsolutePath() + ": get failed"));

      Files.delete(file);
      Files.move(away, file);
      assertThat(store.get(NS, "k")).as("back once the file is").isEqualTo(large);
    } finally {
      warnings.stop();
    }
  }

  @Test
  void aReadSqliteRefusesForAnotherReasonThanDamageIsAMissCountedAsAFailure() throws Exception {
    StoreWarnings warnings = new StoreWarnings();
    warnings.start();
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).readCache(0, Duration.ZERO).build())) {
      store.put(NS, "k", frame("v"), 0, List.of());
      assertThat(store.get(NS, "k")).isEqualTo(frame("v"));
      // Another program broke the schema: SQLite answers "no such table", which is no damage.
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
          + dir.resolve(DiskStore.DB_FILE)); Statement s = c.createStatement()) {
        s.execute("DROP TABLE entries");
      }

      assertThat(store.get(NS, "k")).as("a miss, not an exception").isNull();

      assertThat(warnings.messages()).filteredOn(m -> m.contains("get failed"))
          .as("logged as a failure").singleElement()
          .satisfies(m -> assertThat(m).contains("no such table"));
      assertThat(warnings.messages()).as("not reported as damage")
          .noneMatch(m -> m.contains("damaged"));
    } finally {
      warnings.stop();
    }
  }
}
