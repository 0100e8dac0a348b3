package dev.cachet.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite settings the store's durability promise rests on, read back from the writer's own
 * connection: with {@link Durability#POWER_LOSS} a commit is synced before it returns
 * ({@code synchronous=FULL}); by default only checkpoints sync ({@code NORMAL}), which in WAL
 * mode loses no commit when only the process dies.
 */
class StoreSettingsTest {
  /** SQLite's numbers for the {@code synchronous} setting. */
  private static final int NORMAL = 1;
  private static final int FULL = 2;

  @TempDir
  Path dir;

  private static String pragma(DiskStore store, String name) throws SQLException {
    WriterConnection writer = store.writer();
    synchronized (writer.lock) {
      try (Statement s = writer.connection().createStatement();
          ResultSet rs = s.executeQuery("PRAGMA " + name)) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  @Test
  void aPowerLossStoreSyncsEveryCommit() throws Exception {
    try (DiskStore store = DiskStore.open(dir,
        DiskStoreOptions.builder().durability(Durability.POWER_LOSS).build())) {
      assertThat(pragma(store, "synchronous")).isEqualTo(String.valueOf(FULL));
      assertThat(pragma(store, "journal_mode")).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void aDefaultStoreSyncsAtCheckpointsOnly() throws Exception {
    try (DiskStore store = DiskStore.open(dir)) {
      assertThat(pragma(store, "synchronous")).isEqualTo(String.valueOf(NORMAL));
      assertThat(pragma(store, "journal_mode")).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void closingTheStoreClosesTheWritersConnection() throws Exception {
    DiskStore store = DiskStore.open(dir);
    WriterConnection writer = store.writer();
    store.close();
    assertThat(writer.connection().isClosed()).isTrue();
  }
}
