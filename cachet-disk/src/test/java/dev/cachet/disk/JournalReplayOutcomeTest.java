package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What becomes of a stopped process's journal once the store has replayed it: deleted, so that
 * it never overwrites a later value at the next open; kept when the replay could not commit,
 * so that its puts are not lost; and the replayed puts are held to the size limit like any.
 */
class JournalReplayOutcomeTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
        + dir.resolve(DiskStore.DB_FILE)); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  /** The journal of a process that put these keys and died before applying them. */
  private void deadJournal(String... digests) throws Exception {
    WriteJournal dead = WriteJournal.create(dir.resolve(DiskStore.JOURNAL_DIR),
        FileModes.of(DiskStoreOptions.defaults()), false);
    for (String digest : digests) {
      dead.append(NS, digest, frame("journaled " + digest), 0, List.of(), nowMicros());
    }
    dead.close(false);
  }

  private long journalFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve(DiskStore.JOURNAL_DIR))) {
      return files.count();
    }
  }

  private static DiskStore open(Path dir) {
    return DiskStore.open(dir, DiskStoreOptions.builder().writeBehind(Duration.ZERO).build());
  }

  @Test
  void aReplayedJournalIsDeletedAndNeverOverwritesALaterValueAtTheNextOpen() throws Exception {
    open(dir).close();
    deadJournal("k");
    try (DiskStore store = open(dir)) {
      assertThat(store.get(NS, "k")).isEqualTo(frame("journaled k"));
      store.put(NS, "k", frame("later"), 0, List.of());
    }
    assertThat(journalFiles()).isZero();
    try (DiskStore store = open(dir)) {
      assertThat(store.get(NS, "k")).isEqualTo(frame("later"));
      assertThat(store.stats().writes()).as("the replay counted once").isEqualTo(2);
    }
  }

  @Test
  void aReplayThatCannotCommitKeepsTheJournalForTheNextOpen() throws Exception {
    open(dir).close();
    deadJournal("a", "poison", "b");
    // A trigger that refuses one of the replayed rows fails the replay's transaction.
    sql("CREATE TRIGGER refuse_poison BEFORE INSERT ON entries WHEN NEW.digest = 'poison' "
        + "BEGIN SELECT RAISE(ABORT, 'refused'); END");
    try (DiskStore store = open(dir)) {
      assertThat(store.get(NS, "a")).isNull();
      assertThat(store.stats().failures()).isEqualTo(1);
    }
    assertThat(journalFiles()).as("kept").isPositive();
    sql("DROP TRIGGER refuse_poison");
    try (DiskStore store = open(dir)) {
      for (String digest : List.of("a", "poison", "b")) {
        assertThat(store.get(NS, digest)).as(digest).isEqualTo(frame("journaled " + digest));
      }
    }
    assertThat(journalFiles()).isZero();
  }

  @Test
  void replayedPutsAreEvictedToTheSizeLimitLikeAnyOther() throws Exception {
    int size = frame("journaled k0").length;
    open(dir).close();
    deadJournal("k0", "k1", "k2", "k3");
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).maximumBytes(2L * size).build())) {
      assertThat(store.stats().entries()).isEqualTo(2);
      assertThat(store.stats().evictions()).isEqualTo(2);
      assertThat(store.stats().bytes()).isLessThanOrEqualTo(2L * size);
    }
  }
  @Test
  void aJournaledPutThatExpiredBeforeItWasAppliedCountsAsExpiredEvenWhenWritesSweepNothing() {
    // With sweepLimit 0 no write removes expired rows, so only the journal's own rule can.
    DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder().clock(clock)
        .writeBehind(Duration.ofMinutes(1)).sweepLimit(0).build())) {
      store.put(NS, "k", frame("old"), 0, List.of());
      store.flush();
      long expires = clock.millis + 1000;
      store.put(NS, "k", frame("brief"), expires, List.of());
      clock.millis = expires;
      store.flush();
      assertThat(store.stats().expirations()).isEqualTo(1);
      assertThat(store.stats().entries()).as("the old value went with it").isZero();
      assertThat(store.stats().writes()).isEqualTo(1);
    }
  }

  @Test
  void aJournalFolderEntryThatCannotBeOpenedIsAFailureAndTheStoreStillOpens() throws Exception {
    open(dir).close();
    deadJournal("k");
    // Named like a journal, but a folder: opening it to replay fails.
    Path odd = dir.resolve(DiskStore.JOURNAL_DIR).resolve("0-odd.journal");
    Files.createDirectory(odd);
    try (DiskStore store = open(dir)) {
      assertThat(store.stats().failures()).isEqualTo(1);
      store.put(NS, "after", frame("a"), 0, List.of());
      assertThat(store.get(NS, "after")).isEqualTo(frame("a"));
    }
    assertThat(journalFiles()).as("left for a later open").isGreaterThanOrEqualTo(2);
  }
}
