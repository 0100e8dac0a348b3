package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a store whose database someone else holds or made: an open waits out another
 * connection's write lock (past its own busy timeout) and can be interrupted meanwhile; what is
 * not a store's database is refused, named, and left where it is; and the write-ahead log is
 * checkpointed at the size the store sets.
 */
class StoreOpeningTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private Connection jdbc() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
  }

  private static boolean procFds() {
    return Files.isDirectory(OpenDescriptors.FD_DIR);
  }

  /** An existing store, closed. */
  private void existingStore() {
    try (DiskStore store = DiskStore.open(dir)) {
      store.put(NS, "kept", frame("kept"), 0, List.of());
    }
  }

  /**
   * Waits (bounded) until {@code opener} sleeps between two tries of the lock, as only the
   * retry loop makes it, or has finished. The busy timeout's own wait is in SQLite's native
   * code, where the thread shows as runnable.
   */
  private static void awaitRetryingOrDone(Thread opener, CompletableFuture<?> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (opener.getState() != Thread.State.TIMED_WAITING && !done.isDone()
        && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  @Test
  void anOpenWaitsForAnotherConnectionsWriteLockPastItsBusyTimeoutThenOpens() throws Exception {
    existingStore();
    CompletableFuture<DiskStore> opened = new CompletableFuture<>();
    Thread opener;
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      opener = new Thread(() -> {
        try {
          opened.complete(DiskStore.open(dir, DiskStoreOptions.builder()
              .busyTimeout(Duration.ofMillis(20)).build()));
        } catch (Throwable e) {
          opened.completeExceptionally(e);
        }
      }, "opener");
      opener.start();
      awaitRetryingOrDone(opener, opened);
      assertThat(opened).as("still waiting while the lock is held").isNotDone();
      s.execute("ROLLBACK");
    }
    try (DiskStore store = opened.get(60, TimeUnit.SECONDS)) {
      assertThat(store.get(NS, "kept")).isEqualTo(frame("kept"));
    }
    if (procFds()) {
      assertThat(OpenDescriptors.under(dir)).as("no connection of a failed try left open").isEmpty();
    }
  }

  @Test
  void aStoreOfANewerSchemaIsRefusedWithoutKeepingItsDatabaseOpen() throws Exception {
    existingStore();
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    }
    assertThatThrownBy(() -> DiskStore.open(dir))
        .isInstanceOf(DiskStoreException.class)
        .hasMessageContaining("schema version 99");
    if (procFds()) {
      // A refused store is the user's to move or delete: nothing of this process holds it.
      assertThat(OpenDescriptors.under(dir)).isEmpty();
    }
  }

  @Test
  void anOpenInterruptedWhileWaitingForTheLockStopsAndKeepsTheInterrupt() throws Exception {
    existingStore();
    CompletableFuture<DiskStore> opened = new CompletableFuture<>();
    AtomicReference<Boolean> interruptKept = new AtomicReference<>();
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      Thread opener = new Thread(() -> {
        try {
          opened.complete(DiskStore.open(dir, DiskStoreOptions.builder()
              .busyTimeout(Duration.ofMillis(20)).build()));
        } catch (Throwable e) {
          interruptKept.set(Thread.currentThread().isInterrupted());
          opened.completeExceptionally(e);
        }
      }, "opener");
      opener.start();
      awaitRetryingOrDone(opener, opened);
      assertThat(opened).isNotDone();
      opener.interrupt();
      opener.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(opener.isAlive()).as("stopped waiting").isFalse();
      s.execute("ROLLBACK");
    }
    assertThat(opened).isCompletedExceptionally();
    assertThatThrownBy(opened::join).cause()
        .isInstanceOf(DiskStoreException.class)
        .hasMessageContaining("Interrupted");
    assertThat(interruptKept.get()).as("the caller still sees the interrupt").isTrue();
    if (procFds()) {
      assertThat(OpenDescriptors.under(dir)).isEmpty();
    }
    // Nothing of the failed open is left holding the directory.
    try (DiskStore store = DiskStore.open(dir)) {
      assertThat(store.get(NS, "kept")).isEqualTo(frame("kept"));
    }
  }

  @Test
  void aDirectoryWhereTheDatabaseBelongsIsRefusedNamingIt() throws Exception {
    Path db = Files.createDirectories(dir.resolve(DiskStore.DB_FILE));
    assertThatThrownBy(() -> DiskStore.open(dir))
        .isInstanceOf(DiskStoreException.class)
        .hasMessageContaining(db.toString());
    assertThat(db).isDirectory();
    if (procFds()) {
      assertThat(OpenDescriptors.under(dir)).isEmpty();
    }
  }

  @Test
  void aDatabaseOfAnotherProgramIsRefusedAndNeitherMovedAsideNorGivenTheStoresTables()
      throws Exception {
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE entries(id INTEGER PRIMARY KEY, title TEXT NOT NULL)");
      s.execute("INSERT INTO entries(title) VALUES ('theirs')");
    }
    // Recovery on (the default): what is moved aside is a damaged database, not another's.
    assertThatThrownBy(() -> DiskStore.open(dir))
        .isInstanceOf(DiskStoreException.class)
        .hasMessageContaining(dir.resolve(DiskStore.DB_FILE).toString());
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.contains(".corrupt-"));
    }
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT title FROM entries")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("theirs");
        assertThat(rs.next()).isFalse();
      }
      try (ResultSet rs = s.executeQuery(
          "SELECT count(*) FROM sqlite_master WHERE name IN ('meta', 'counters', 'changes')")) {
        rs.next();
        assertThat(rs.getInt(1)).as("the schema's transaction rolled back").isZero();
      }
    }
    if (procFds()) {
      assertThat(OpenDescriptors.under(dir)).isEmpty();
    }
  }

  @Test
  void theWriteAheadLogIsCheckpointedOnceItHoldsSixteenMebibytes() throws Exception {
    int frameBytes = 16 * 1024;
    // Puts written one transaction each (no journal), so that no commit is much larger than
    // one frame: the log then ends just past the checkpoint size, whatever was written.
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).sideFileThreshold(1 << 20).build())) {
      for (int i = 0; i < 2_000; i++) { // about 31 MiB
        store.put(NS, "k" + i, frame(frameBytes, i), 0, List.of());
      }
      long wal = Files.size(dir.resolve(DiskStore.DB_FILE + "-wal"));
      assertThat(wal).as("checkpointed near 16 MiB of pages, not before and not after")
          .isBetween(16L << 20, 18L << 20);
      assertThat(store.get(NS, "k0")).isEqualTo(frame(frameBytes, 0));
    }
  }

  @Test
  void aDamagedDatabaseAnotherStoreOfThisJvmHasOpenIsRefusedSayingHowMany() throws Exception {
    existingStore();
    try (DiskStore first = DiskStore.open(dir)) {
      // Damaged in the copy that a new connection reads first: the header, rewritten by
      // another process (a descriptor of this one would drop SQLite's locks here).
      try (Connection c = jdbc(); Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      DiskStoreFileSafetyTest.damageHeaderFromAnotherProcess(dir.resolve(DiskStore.DB_FILE));
      assertThatThrownBy(() -> DiskStore.open(dir))
          .isInstanceOf(DiskStoreException.class)
          .hasMessageContaining("(1 other stores of this JVM have " + dir + " open)");
      assertThat(first.directory()).isEqualTo(dir);
    }
  }
}
