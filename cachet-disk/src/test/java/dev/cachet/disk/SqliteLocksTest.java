package dev.cachet.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The POSIX locks that keep processes sharing a store from wrecking each other stay held for
 * as long as the store is open, whatever the store does meanwhile.
 *
 * <p>POSIX ({@code fcntl}) locks belong to a process and a file, not to a descriptor: closing
 * any descriptor of a file releases every lock the process holds on it. Two locks matter:
 * <ul>
 *   <li>SQLite's shared lock on the "DMS" byte of {@code cachet.db-shm}, held while any
 *       connection of the process has the WAL index open. A process that opens the database
 *       and finds that byte unlocked believes it is alone and truncates and rebuilds the WAL
 *       index, which another process has mapped: that process then dies of SIGBUS or
 *       corrupts the database. So nothing in the store may open (and close) the {@code -shm}
 *       file itself.
 *   <li>The exclusive lock on each of this process's journal files, by which other processes
 *       tell a live journal (lock refused) from a dead one (lock granted, then replayed and
 *       deleted). So the scan for dead journals must not open (and close) a journal file this
 *       process holds, even when it reaches it through another spelling of the directory.
 * </ul>
 * Linux lists the locks each process holds in {@code /proc/locks}, which is read here without
 * opening the locked files.
 */
@EnabledOnOs(OS.LINUX)
class SqliteLocksTest {
  /**
   * The byte of the {@code -shm} file whose shared lock says "in use": SQLite's unix VFS puts
   * it after the 8 WAL lock bytes that start at 120 ({@code UNIX_SHM_DMS}).
   */
  private static final long DMS_BYTE = 128;

  @TempDir
  Path tmp;

  private final long pid = ProcessHandle.current().pid();

  /**
   * Skips unless /proc/locks is readable and shows this process's locks under its own pid and
   * this file system's inode numbers (not so in another pid namespace, or on some overlays).
   */
  @BeforeEach
  void procLocksShowThisProcess() throws IOException {
    assumeTrue(ProcLocks.readable(), "/proc/locks is not readable here");
    Path probe = tmp.resolve("probe.lock");
    try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      ch.lock();
      assumeTrue(!ProcLocks.posixLocks(pid, probe).isEmpty(),
          "/proc/locks does not show this process's lock on " + probe);
    }
  }

  private static DiskStoreOptions options() {
    return DiskStoreOptions.builder().sideFileThreshold(ChildWriter.THRESHOLD).build();
  }

  /** Fails unless this process holds a lock on the "in use" byte of {@code dir}'s -shm. */
  private void assertWalIndexMarkedInUse(Path dir, String when) throws IOException {
    Path shm = dir.resolve(DiskStore.DB_FILE + "-shm");
    assertThat(shm).as("%s: the WAL index file", when).isRegularFile();
    List<ProcLocks.Lock> locks = ProcLocks.posixLocks(pid, shm);
    assertThat(locks)
        .as("%s: this process (pid %d) must hold SQLite's shared lock on byte %d of %s, which "
            + "tells other processes the WAL index is in use; its locks on that file: %s",
            when, pid, DMS_BYTE, shm, locks)
        .anySatisfy(lock -> assertThat(lock.covers(DMS_BYTE)).isTrue());
  }

  private static void put(DiskStore store, String key, long version) {
    store.put(ChildWriter.NS, key, ChildWriter.value(key, version), 0, List.of());
  }

  /**
   * What the other tests rely on: SQLite itself holds the lock while a plain connection has a
   * WAL database open, and this test can see it.
   */
  @Test
  void sqliteHoldsTheInUseLockWhileAConnectionIsOpen() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("plain"));
    try (Connection c = DriverManager.getConnection(
        "jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("CREATE TABLE t(x)");
      s.execute("INSERT INTO t VALUES (1)");
      assertWalIndexMarkedInUse(dir, "a plain sqlite-jdbc connection");
    }
  }

  @Test
  void theWalIndexIsMarkedInUseRightAfterOpen() throws Exception {
    Path dir = tmp.resolve("open");
    try (DiskStore store = DiskStore.open(dir, options())) {
      assertWalIndexMarkedInUse(dir, "right after DiskStore.open");
    }
  }

  @Test
  void theWalIndexStaysMarkedInUseAfterGetsPutsAndFlush() throws Exception {
    Path dir = tmp.resolve("ops");
    try (DiskStore store = DiskStore.open(dir, options())) {
      for (int i = 0; i < 200; i++) {
        put(store, "k" + i, i); // inline and side-file values
      }
      for (int i = 0; i < 200; i++) {
        assertThat(store.get(ChildWriter.NS, "k" + i)).isNotNull();
      }
      store.remove(ChildWriter.NS, "k0");
      store.flush();
      for (int i = 1; i < 200; i++) {
        assertThat(ChildWriter.isRight("k" + i, store.get(ChildWriter.NS, "k" + i))).isTrue();
      }
      assertWalIndexMarkedInUse(dir, "after puts, gets, a removal and flush()");
    }
  }

  @Test
  void theWalIndexStaysMarkedInUseAfterChecks() throws Exception {
    Path dir = tmp.resolve("check");
    try (DiskStore store = DiskStore.open(dir, options())) {
      for (int i = 0; i < 50; i++) {
        put(store, "k" + i, i);
      }
      store.flush();
      assertThat(store.check(false).problems()).isEmpty();
      assertWalIndexMarkedInUse(dir, "after check(false)");
      assertThat(store.check(true).problems()).isEmpty();
      assertWalIndexMarkedInUse(dir, "after check(true)");
    }
  }

  /** A dead process's journal, replayed by this process's open. */
  @Test
  void theWalIndexStaysMarkedInUseAfterAJournalReplay() throws Exception {
    Path dir = tmp.resolve("replay");
    Path work = Files.createDirectories(tmp.resolve("child"));
    try (ChildJvm child = ChildJvm.start(work, "journal writer", StoreChild.class, "journal",
        dir.toString(), "j", "40")) {
      child.awaitLine("journaled"::equals, Duration.ofSeconds(60));
      child.kill(); // SIGKILL: its puts are in its journal only
    }
    assertThat(journalFiles(dir)).as("the killed child's journal").hasSize(2);
    try (DiskStore store = DiskStore.open(dir, options())) {
      assertThat(journalFiles(dir)).as("replayed and deleted by open").isEmpty();
      for (int i = 0; i < 40; i++) {
        byte[] frame = store.get(ChildWriter.NS, "j" + i);
        assertThat(frame).as("replayed put j%d", i).isNotNull();
        assertThat(ChildWriter.isRight("j" + i, frame)).isTrue();
      }
      assertWalIndexMarkedInUse(dir, "after open replayed a dead process's journal");
    }
  }

  /**
   * Programs often open the same store twice (two caches, a CLI command in-process), and may
   * reach it through a symlink; closing the second store must not unmark the first's use.
   */
  @Test
  void theWalIndexStaysMarkedInUseAfterASecondStoreOfThisProcessCloses() throws Exception {
    Path dir = tmp.resolve("twice");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), Files.createDirectories(dir));
    try (DiskStore store = DiskStore.open(dir, options())) {
      put(store, "first", 1);
      store.flush();
      try (DiskStore second = DiskStore.open(dir, options())) {
        assertThat(second.get(ChildWriter.NS, "first")).isNotNull();
        assertWalIndexMarkedInUse(dir, "while a second store on the same path is open");
      }
      assertWalIndexMarkedInUse(dir, "after a second store on the same path was closed");
      try (DiskStore viaLink = DiskStore.open(link, options())) {
        put(viaLink, "second", 2);
        viaLink.flush();
        assertWalIndexMarkedInUse(dir, "while a second store opened through a symlink is open");
      }
      assertWalIndexMarkedInUse(dir, "after a second store opened through a symlink was closed");
      assertThat(ChildWriter.isRight("second", store.get(ChildWriter.NS, "second"))).isTrue();
    }
  }

  /**
   * This process's journal files stay exclusively locked, as seen in /proc/locks and by
   * another process's {@code tryLock}, also after a second store of this process, reaching
   * the directory through a symlink (so the journal paths it lists are not the ones this
   * process recorded as its own), scanned the journal directory for dead journals.
   */
  @Test
  void theJournalStaysLockedAfterASecondStoreOfThisProcessScannedIt() throws Exception {
    Path dir = tmp.resolve("journal");
    Path link = Files.createSymbolicLink(tmp.resolve("journal-link"),
        Files.createDirectories(dir));
    Path work = Files.createDirectories(tmp.resolve("child"));
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .sideFileThreshold(ChildWriter.THRESHOLD).writeBehind(Duration.ofMinutes(1)).build())) {
      put(store, "mine", 1); // creates this process's journal; stays there (a minute's delay)
      List<Path> journal = journalFiles(dir);
      assertThat(journal).as("this process's two journal files").hasSize(2);
      assertJournalLocked(journal, work, "after the first put");

      try (DiskStore viaLink = DiskStore.open(link, options())) {
        assertThat(viaLink.get(ChildWriter.NS, "nothing")).isNull();
      }
      assertThat(journalFiles(dir)).as("a live journal is not replayed or deleted")
          .containsExactlyInAnyOrderElementsOf(journal);
      assertJournalLocked(journal, work,
          "after a second store of this process, opened through a symlink, was closed");
      assertThat(ChildWriter.isRight("mine", store.get(ChildWriter.NS, "mine"))).isTrue();
    }
  }

  private void assertJournalLocked(List<Path> journal, Path work, String when)
      throws Exception {
    for (Path file : journal) {
      List<ProcLocks.Lock> locks = ProcLocks.posixLocks(pid, file);
      assertThat(locks)
          .as("%s: this process (pid %d) must hold an exclusive lock on its journal file %s; "
              + "its locks on it: %s", when, pid, file, locks)
          .anySatisfy(lock -> {
            assertThat(lock.access()).isEqualTo("WRITE");
            assertThat(lock.start()).isZero();
            assertThat(lock.end()).isEqualTo(Long.MAX_VALUE);
          });
    }
    String[] args = new String[journal.size() + 1];
    args[0] = "trylock";
    for (int i = 0; i < journal.size(); i++) {
      args[i + 1] = journal.get(i).toString();
    }
    try (ChildJvm child = ChildJvm.start(work, "lock prober", StoreChild.class, args)) {
      for (Path file : journal) {
        String answer = child.awaitLine(l -> l.endsWith(" " + file), Duration.ofSeconds(60));
        assertThat(answer)
            .as("%s: another process's tryLock on the live journal %s must be refused, or it "
                + "would replay and delete a live process's journal", when, file)
            .isEqualTo("refused " + file);
      }
      child.awaitLine("done"::equals, Duration.ofSeconds(30));
    }
  }

  private static List<Path> journalFiles(Path dir) throws IOException {
    Path journalDir = dir.resolve(DiskStore.JOURNAL_DIR);
    if (!Files.isDirectory(journalDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(journalDir)) {
      return files.sorted().toList();
    }
  }
}
