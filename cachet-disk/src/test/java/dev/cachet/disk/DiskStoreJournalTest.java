package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write journal: puts acknowledged before they reach the database, seen by this process
 * at once and by others within the write-behind delay, replayed after a crash, and never
 * brought back after another process removed them. Two stores on one directory in one JVM
 * have a journal each, as two processes would.
 */
class DiskStoreJournalTest {
  private static final String NS = "fn:1:code:type";
  private static final Duration LONG = Duration.ofMinutes(1);

  @TempDir
  Path dir;

  private DiskStore open(Duration writeBehind) {
    return DiskStore.open(dir, DiskStoreOptions.builder().writeBehind(writeBehind).build());
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private long journalFiles() throws Exception {
    Path journal = dir.resolve(DiskStore.JOURNAL_DIR);
    if (!Files.exists(journal)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(journal)) {
      return files.count();
    }
  }

  @Test
  void aPutIsReadHereAtOnceAndByOtherProcessesOnceApplied() {
    try (DiskStore writer = open(LONG); DiskStore other = open(LONG)) {
      byte[] v = frame("value");
      writer.put(NS, "k", v, 0, List.of());
      assertThat(writer.get(NS, "k")).isEqualTo(v);
      assertThat(other.get(NS, "k")).as("still in the writer's journal").isNull();
      writer.flush();
      assertThat(other.get(NS, "k")).isEqualTo(v);
      assertThat(writer.stats().writes()).isEqualTo(1);
    }
  }

  @Test
  void otherProcessesSeeAPutWithinTheWriteBehindDelay() throws Exception {
    try (DiskStore writer = open(Duration.ofMillis(20)); DiskStore other = open(LONG)) {
      byte[] v = frame("soon");
      writer.put(NS, "k", v, 0, List.of());
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      byte[] seen = null;
      while (seen == null && System.nanoTime() < deadline) {
        seen = other.get(NS, "k");
        if (seen == null) {
          Thread.sleep(5);
        }
      }
      assertThat(seen).as("applied without any further call on the writer").isEqualTo(v);
    }
  }

  @Test
  void withoutAJournalAPutIsInTheDatabaseWhenItReturns() {
    try (DiskStore writer = open(Duration.ZERO); DiskStore other = open(LONG)) {
      writer.put(NS, "k", frame("direct"), 0, List.of());
      assertThat(other.get(NS, "k")).isEqualTo(frame("direct"));
    }
  }

  @Test
  void anotherProcesssRemovalWinsOverAnEarlierJournaledPut() {
    try (DiskStore writer = open(LONG); DiskStore other = open(Duration.ZERO)) {
      writer.put(NS, "key", frame("1"), 0, List.of());
      writer.put(NS, "tagged", frame("2"), 0, List.of("t"));
      writer.put("other-ns", "inNamespace", frame("3"), 0, List.of());
      other.put(NS, "key", frame("old"), 0, List.of());
      assertThat(other.remove(NS, "key")).isTrue();
      other.removeTag("t");
      other.removeNamespace("other-ns");
      writer.put(NS, "later", frame("4"), 0, List.of("t")); // after the removals: kept
      writer.flush();
      for (DiskStore store : List.of(writer, other)) {
        assertThat(store.get(NS, "key")).isNull();
        assertThat(store.get(NS, "tagged")).isNull();
        assertThat(store.get("other-ns", "inNamespace")).isNull();
        assertThat(store.get(NS, "later")).isEqualTo(frame("4"));
      }
      writer.put(NS, "cleared", frame("5"), 0, List.of());
      other.clear();
      writer.flush();
      assertThat(other.get(NS, "cleared")).isNull();
      assertThat(writer.get(NS, "cleared")).isNull();
    }
  }

  @Test
  void thisProcesssRemovalFollowsItsOwnJournaledPut() {
    try (DiskStore store = open(LONG)) {
      store.put(NS, "k", frame("v"), 0, List.of("t"));
      assertThat(store.remove(NS, "k")).isTrue();
      assertThat(store.get(NS, "k")).isNull();
      store.put(NS, "k", frame("again"), 0, List.of("t"));
      assertThat(store.removeTag("t")).isEqualTo(1);
      store.put(NS, "k", frame("third"), 0, List.of());
      store.flush();
      assertThat(store.get(NS, "k")).isEqualTo(frame("third"));
      assertThat(store.stats().entries()).isEqualTo(1);
    }
  }

  @Test
  void aJournaledEntryExpiresLikeAnyOther() {
    DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder().writeBehind(LONG)
        .clock(clock).build())) {
      store.put(NS, "k", frame("v"), clock.millis + 1000, List.of());
      assertThat(store.get(NS, "k")).isNotNull();
      clock.millis += 1000;
      assertThat(store.get(NS, "k")).isNull();
      assertThat(store.stats().expirations()).isEqualTo(1);
      assertThat(store.stats().entries()).isZero();
    }
  }

  @Test
  void aDeadProcesssJournalIsReplayedWhenTheStoreOpens() throws Exception {
    try (DiskStore store = open(LONG)) {
      store.put(NS, "before", frame("b"), 0, List.of());
    }
    WriteJournal dead = WriteJournal.create(dir.resolve(DiskStore.JOURNAL_DIR),
        FileModes.of(DiskStoreOptions.defaults()), false);
    for (int i = 0; i < 3; i++) {
      dead.append(NS, "k" + i, frame("v" + i), 0, List.of("t"), nowMicros());
    }
    dead.close(false); // the process died: files kept, locks gone
    assertThat(journalFiles()).isEqualTo(2);
    try (DiskStore store = open(LONG)) {
      for (int i = 0; i < 3; i++) {
        assertThat(store.get(NS, "k" + i)).isEqualTo(frame("v" + i));
      }
      assertThat(store.removeTag("t")).as("tags replayed too").isEqualTo(3);
      assertThat(store.get(NS, "before")).isEqualTo(frame("b"));
    }
    assertThat(journalFiles()).isZero();
  }

  @Test
  void aTornOrDamagedRecordEndsTheReplayOfItsFile() throws Exception {
    WriteJournal dead = WriteJournal.create(dir.resolve(DiskStore.JOURNAL_DIR),
        FileModes.of(DiskStoreOptions.defaults()), false);
    for (int i = 0; i < 4; i++) {
      dead.append(NS, "k" + i, frame(200, i), 0, List.of(), nowMicros());
    }
    dead.close(false);
    Path file;
    try (Stream<Path> files = Files.list(dir.resolve(DiskStore.JOURNAL_DIR))) {
      file = files.filter(p -> {
        try {
          return Files.size(p) > 0;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).findFirst().orElseThrow();
    }
    long size = Files.size(file);
    long record = size / 4;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE,
        StandardOpenOption.READ)) {
      ch.truncate(size - 3); // the fourth record torn, as by a kill inside write()
      java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
      long at = 2 * record + record / 2; // inside the third record
      ch.read(one, at);
      one.flip();
      byte flipped = (byte) (one.get(0) ^ 0x10);
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {flipped}), at);
    }
    try (DiskStore store = open(LONG)) {
      assertThat(store.get(NS, "k0")).isEqualTo(frame(200, 0));
      assertThat(store.get(NS, "k1")).isEqualTo(frame(200, 1));
      assertThat(store.get(NS, "k2")).as("damaged: never a wrong value").isNull();
      assertThat(store.get(NS, "k3")).as("after the damage").isNull();
      assertThat(store.stats().corruptions()).isZero();
    }
  }

  @Test
  void aJournalOlderThanRemovalsAreRememberedIsDropped() throws Exception {
    WriteJournal dead = WriteJournal.create(dir.resolve(DiskStore.JOURNAL_DIR),
        FileModes.of(DiskStoreOptions.defaults()), false);
    dead.append(NS, "stale", frame("s"), 0, List.of(),
        nowMicros() - DiskStore.DROP_RETENTION_MICROS - 1_000_000);
    dead.append(NS, "fresh", frame("f"), 0, List.of(), nowMicros());
    dead.close(false);
    try (DiskStore store = open(LONG)) {
      assertThat(store.get(NS, "stale")).isNull();
      assertThat(store.get(NS, "fresh")).isEqualTo(frame("f"));
    }
  }

  @Test
  void closingAppliesTheJournalAndDeletesIt() throws Exception {
    try (DiskStore store = open(LONG)) {
      store.put(NS, "k", frame("v"), 0, List.of());
      assertThat(journalFiles()).isEqualTo(2);
    }
    assertThat(journalFiles()).isZero();
    try (DiskStore store = open(LONG)) {
      assertThat(store.get(NS, "k")).isEqualTo(frame("v"));
    }
  }
}
