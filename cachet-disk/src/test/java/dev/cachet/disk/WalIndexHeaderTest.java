package dev.cachet.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalIndexHeaderTest {
  @TempDir
  Path dir;

  @Test
  void isAbsentWithoutAUsableSharedMemoryFile() throws Exception {
    Path db = dir.resolve("x.db");
    assertThat(WalIndexHeader.forDatabase(db)).isNull();
    Files.write(dir.resolve("x.db-shm"), new byte[40]);
    assertThat(WalIndexHeader.forDatabase(db)).isNull();
  }

  @Test
  void changesWithEveryCommitAndCheckpointAndOnlyThen() throws Exception {
    Path db = dir.resolve("x.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("CREATE TABLE t(v)");
      WalIndexHeader header = WalIndexHeader.forDatabase(db);
      assertThat(header).isNotNull();
      long[] stamp = new long[WalIndexHeader.LONGS];
      header.read(stamp);
      s.executeQuery("SELECT count(*) FROM t").close();
      assertThat(header.unchangedSince(stamp)).as("after a read").isTrue();
      for (int i = 0; i < 50; i++) {
        s.execute("INSERT INTO t VALUES (" + i + ")");
        assertThat(header.unchangedSince(stamp)).as("after commit %d", i).isFalse();
        header.read(stamp);
        assertThat(header.unchangedSince(stamp)).isTrue();
      }
      assertThat(WalIndexHeader.frames(stamp)).isGreaterThanOrEqualTo(50);
      assertThat(WalIndexHeader.backfilled(stamp)).isFalse();
      assertThat(header.backfilled()).isFalse();
      s.execute("PRAGMA wal_checkpoint(PASSIVE)");
      assertThat(header.backfilled()).as("after a checkpoint").isTrue();
      assertThat(header.unchangedSince(stamp)).as("a checkpoint is a change").isFalse();
      header.read(stamp);
      assertThat(WalIndexHeader.backfilled(stamp)).isTrue();
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      header.read(stamp);
      s.execute("INSERT INTO t VALUES (-1)"); // restarts the WAL from its first frame
      assertThat(header.unchangedSince(stamp)).as("after the WAL restarts").isFalse();
    }
  }
}
