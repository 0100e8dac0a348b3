package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write journal's limits and its files: what does not fit a record is written to the
 * database directly, records of every size and field length come back intact after a crash,
 * a file emptied by a batch takes new records from its start, dead journals replay oldest
 * first, and the journal is applied at once when it has grown large. Whether a put went to
 * the journal or straight to the database shows in a second store on the same directory
 * (as a second process would): it sees a direct put at once, a journaled one only after the
 * writer's flush.
 */
class WriteJournalTest {
  private static final String NS = "fn:1:code:type";
  private static final Duration LONG = Duration.ofMinutes(1);
  /** Bytes of a journal record besides namespace, digest, tags and frame. */
  private static final int RECORD_OVERHEAD = 8 + 8 + 8 + 8 + 2 + 2 + 2 + 4;

  @TempDir
  Path dir;

  private DiskStore open(Duration writeBehind, int sideFileThreshold) {
    return DiskStore.open(dir, DiskStoreOptions.builder().writeBehind(writeBehind)
        .sideFileThreshold(sideFileThreshold).build());
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private Path journalDir() {
    return dir.resolve(DiskStore.JOURNAL_DIR);
  }

  private WriteJournal deadJournal() throws Exception {
    return WriteJournal.create(journalDir(), FileModes.of(DiskStoreOptions.defaults()), false);
  }

  /** An entry frame of exactly {@code length} bytes. */
  static byte[] frameOfLength(int length, int seed) {
    int overhead = frame(0, seed).length;
    byte[] f = frame(length - overhead, seed);
    assertThat(f).hasSize(length);
    return f;
  }

  private List<Path> journalFiles() throws Exception {
    if (!Files.exists(journalDir())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(journalDir())) {
      return files.sorted().toList();
    }
  }

  /** Puts through {@code writer}; says whether {@code other} saw it before the writer flushed. */
  private static boolean seenBeforeFlush(DiskStore writer, DiskStore other, String ns,
      String digest, byte[] frame, List<String> tags) {
    writer.put(ns, digest, frame, 0, tags);
    assertThat(writer.get(ns, digest)).as("read back by the writer").isEqualTo(frame);
    boolean seen = other.get(ns, digest) != null;
    writer.flush();
    assertThat(other.get(ns, digest)).as("in the database after the flush").isEqualTo(frame);
    return seen;
  }

  @Test
  void aPutBeyondTheJournalsFieldLimitsIsWrittenStraightToTheDatabase() {
    String at = "a".repeat(0xFFFF);
    String beyond = "b".repeat(0x10000);
    List<String> manyTags = new ArrayList<>();
    for (int i = 0; i < 0xFFFF; i++) {
      manyTags.add("t" + i);
    }
    List<String> tooManyTags = new ArrayList<>(manyTags);
    tooManyTags.add("one more");
    record Case(String name, String ns, String digest, List<String> tags, boolean journaled) {
    }
    List<Case> cases = List.of(
        new Case("namespace of 65535 bytes", at, "d1", List.of(), true),
        new Case("namespace of 65536 bytes", beyond, "d2", List.of(), false),
        new Case("digest of 65535 bytes", NS, at, List.of(), true),
        new Case("digest of 65536 bytes", NS, beyond, List.of(), false),
        new Case("tag of 65535 bytes", NS, "d3", List.of("x", at), true),
        new Case("tag of 65536 bytes", NS, "d4", List.of("x", beyond), false),
        new Case("65535 tags", NS, "d5", manyTags, true),
        new Case("65536 tags", NS, "d6", tooManyTags, false));
    try (DiskStore writer = open(LONG, 1 << 20); DiskStore other = open(LONG, 1 << 20)) {
      for (Case c : cases) {
        assertThat(seenBeforeFlush(writer, other, c.ns(), c.digest(), frame(c.name()),
            c.tags())).as(c.name() + ": written directly").isEqualTo(!c.journaled());
      }
      assertThat(other.removeTag("t65534")).as("both lists of tags kept whole").isEqualTo(2);
      assertThat(other.removeTag(at)).isEqualTo(1);
    }
  }

  @Test
  void aRecordOfExactlyTheJournalsSizeLimitIsJournaledAndOneByteMoreIsLeftToTheCaller()
      throws Exception {
    // (A store then writes it directly; one this large is applied at once anyway, being more
    // than the 8 MiB that make the putting thread apply the journal.)
    int fits = WriteJournal.MAX_RECORD - RECORD_OVERHEAD - NS.length() - 2;
    byte[] at = frameOfLength(fits, 1);
    WriteJournal j = deadJournal();
    assertThat(j.append(NS, "at", at, 0, List.of(), nowMicros())).as("16 MiB").isNotNull();
    assertThat(j.append(NS, "by", frameOfLength(fits + 1, 2), 0, List.of(), nowMicros()))
        .as("one byte more").isNull();
    assertThat(j.latest(NS, "by")).isNull();
    j.close(false);
    try (WriteJournal.Orphans orphans = WriteJournal.orphans(journalDir())) {
      assertThat(orphans.entries()).hasSize(1);
      assertThat(orphans.entries().get(0).frame()).isEqualTo(at);
    }
  }

  @Test
  void aDeadJournalsLargeRecordsAndLongFieldsAreReplayedIntact() throws Exception {
    // Longer than a signed 16-bit length, and a frame larger than the journal's first buffer.
    String ns = "n".repeat(40_000);
    String digest = "d".repeat(40_000);
    String tag = "t".repeat(40_000);
    byte[] large = frameOfLength(300_000, 3);
    byte[] small = frame("small");
    WriteJournal dead = deadJournal();
    dead.append(ns, digest, large, 0, List.of(tag, "other"), nowMicros());
    dead.append(NS, "small", small, 0, List.of(), nowMicros());
    dead.close(false);
    try (DiskStore store = open(LONG, 1 << 20)) {
      assertThat(store.get(ns, digest)).isEqualTo(large);
      assertThat(store.get(NS, "small")).isEqualTo(small);
      assertThat(store.removeTag("other")).isEqualTo(1);
    }
    assertThat(journalFiles()).as("replayed, then deleted").isEmpty();
  }

  @Test
  void aFileEmptiedByABatchTakesNewRecordsFromItsStart() throws Exception {
    WriteJournal j = deadJournal();
    j.append(NS, "first", frame("1"), 0, List.of(), nowMicros()); // file 0
    j.finish(j.take());
    j.append(NS, "second", frame("2"), 0, List.of(), nowMicros()); // file 1
    j.finish(j.take());
    j.append(NS, "third", frame("3"), 0, List.of(), nowMicros()); // file 0 again
    assertThat(j.latest(NS, "first")).as("applied: left the read view").isNull();
    assertThat(j.latest(NS, "third")).isNotNull();
    j.close(false); // the process dies
    try (WriteJournal.Orphans orphans = WriteJournal.orphans(journalDir())) {
      assertThat(orphans.entries()).extracting(WriteJournal.Entry::digest)
          .as("finished batches are not replayed; the new record is")
          .containsExactly("third");
      assertThat(orphans.paths()).hasSize(2);
    }
  }

  @Test
  void afterAFlushTheJournalHoldsNothingToReplay() throws Exception {
    try (DiskStore store = open(LONG, 1 << 20)) {
      for (int i = 0; i < 3; i++) {
        store.put(NS, "k" + i, frame("v" + i), 0, List.of());
      }
      List<Path> files = journalFiles();
      assertThat(files).hasSize(2);
      assertThat(Files.size(files.get(0)) + Files.size(files.get(1))).isPositive();
      store.flush();
      assertThat(Files.size(files.get(0)) + Files.size(files.get(1))).isZero();
    }
  }

  @Test
  void deadJournalsReplayOldestFirstWhicheverFileIsReadFirst() throws Exception {
    long t = nowMicros() - 1_000_000;
    WriteJournal a = deadJournal();
    WriteJournal b = deadJournal();
    // For even keys journal a wrote last, for odd keys b: whichever file the scan reads
    // first, only ordering by time gives every key its newest value.
    for (int i = 0; i < 4; i++) {
      WriteJournal older = i % 2 == 0 ? b : a;
      WriteJournal newer = i % 2 == 0 ? a : b;
      older.append(NS, "k" + i, frame("old" + i), 0, List.of(), t + 10 * i);
      newer.append(NS, "k" + i, frame("new" + i), 0, List.of(), t + 10 * i + 5);
    }
    // Within one file too: appended later, but journaled with an earlier time; and two puts
    // of one microsecond, the later appended winning.
    b.append(NS, "tie", frame("first"), 0, List.of(), t + 60);
    b.append(NS, "tie", frame("second"), 0, List.of(), t + 60);
    a.append(NS, "late", frame("newest"), 0, List.of(), t + 100);
    a.append(NS, "late", frame("stale"), 0, List.of(), t + 50);
    a.close(false);
    b.close(false);
    try (DiskStore store = open(LONG, 1 << 20)) {
      for (int i = 0; i < 4; i++) {
        assertThat(store.get(NS, "k" + i)).as("k" + i).isEqualTo(frame("new" + i));
      }
      assertThat(store.get(NS, "late")).isEqualTo(frame("newest"));
      assertThat(store.get(NS, "tie")).isEqualTo(frame("second"));
    }
  }

  @Test
  void aJournalItsProcessDiedBeforeNamingIsDeletedAndOtherFilesAreLeftAlone() throws Exception {
    try (DiskStore live = open(LONG, 1 << 20)) {
      live.put(NS, "live", frame("live"), 0, List.of()); // creates its journal, held locked
      Path born = journalDir().resolve("dead-0" + ".journal.new");
      Files.write(born, new byte[] {1, 2, 3});
      Path notes = journalDir().resolve("notes.txt");
      Files.writeString(notes, "not a journal");
      List<Path> liveFiles = journalFiles().stream()
          .filter(p -> p.getFileName().toString().endsWith(WriteJournal.SUFFIX)).toList();
      assertThat(liveFiles).hasSize(2);
      long pid = ProcessHandle.current().pid();
      try (DiskStore other = open(LONG, 1 << 20)) {
        assertThat(born).as("never named: it never held a record").doesNotExist();
        if (ProcLocks.readable()) {
          assertThat(liveFiles).as("the scan opened no descriptor on a journal held here")
              .allSatisfy(p -> assertThat(ProcLocks.posixLocks(pid, p)).isNotEmpty());
        }
        assertThat(notes).exists();
        assertThat(liveFiles).allSatisfy(p -> assertThat(p).exists());
        assertThat(other.get(NS, "live")).as("a live journal is not replayed").isNull();
      }
      assertThat(live.get(NS, "live")).isEqualTo(frame("live"));
    }
  }

  @Test
  void theJournalIsAppliedAtOnceWhenItHolds4096Puts() {
    try (DiskStore writer = open(LONG, 1 << 20); DiskStore other = open(LONG, 1 << 20)) {
      byte[] v = frame("v");
      for (int i = 0; i < 4095; i++) {
        writer.put(NS, "k" + i, v, 0, List.of());
      }
      assertThat(other.get(NS, "k0")).as("4095 puts wait for the write-behind delay").isNull();
      writer.put(NS, "k4095", v, 0, List.of());
      assertThat(other.get(NS, "k0")).as("the 4096th applies them").isEqualTo(v);
      assertThat(other.get(NS, "k4095")).isEqualTo(v);
    }
  }

  @Test
  void theJournalIsAppliedAtOnceWhenItHolds8MiB() {
    // Records of exactly 64 KiB: the 128th brings the journal to 8 MiB.
    String digestPrefix = "k";
    try (DiskStore writer = open(LONG, 1 << 20); DiskStore other = open(LONG, 1 << 20)) {
      for (int i = 0; i < 128; i++) {
        String digest = digestPrefix + String.format("%03d", i);
        byte[] v = frameOfLength(65_536 - RECORD_OVERHEAD - NS.length() - digest.length(), i);
        writer.put(NS, digest, v, 0, List.of());
        if (i == 126) {
          assertThat(other.get(NS, "k000")).as("8 MiB less 64 KiB waits").isNull();
        }
      }
      assertThat(other.get(NS, "k000")).as("8 MiB is applied at once").isNotNull();
      assertThat(other.get(NS, "k127")).isNotNull();
    }
  }

  @Test
  void journalFilesAreOpenedInTheJournalFolderUnderFreshNames() throws Exception {
    WriteJournal one = deadJournal();
    WriteJournal two = deadJournal();
    List<Path> files = journalFiles();
    assertThat(files).hasSize(4).allSatisfy(p -> assertThat(p.getFileName().toString())
        .endsWith(WriteJournal.SUFFIX).doesNotEndWith(".new"));
    one.close(true);
    assertThat(journalFiles()).as("an applied journal is deleted").hasSize(2);
    assertThatThrownBy(() -> one.append(NS, "k", frame("v"), 0, List.of(), nowMicros()))
        .as("a closed journal refuses appends").isInstanceOf(IllegalStateException.class);
    two.close(false);
    assertThat(journalFiles()).as("one with records left is kept").hasSize(2);
  }

  @Test
  void aDeadJournalLeftUnreplayedIsFoundAgainByTheNextScan() throws Exception {
    WriteJournal dead = deadJournal();
    dead.append(NS, "k", frame("v"), 0, List.of(), nowMicros());
    dead.close(false);
    try (WriteJournal.Orphans first = WriteJournal.orphans(journalDir())) {
      assertThat(first.entries()).hasSize(1);
      try (WriteJournal.Orphans meanwhile = WriteJournal.orphans(journalDir())) {
        assertThat(meanwhile.paths()).as("held by the first scan").isEmpty();
      }
    } // not discarded: the replay failed, say
    try (WriteJournal.Orphans second = WriteJournal.orphans(journalDir())) {
      assertThat(second.entries()).extracting(WriteJournal.Entry::digest).containsExactly("k");
      second.discard();
    }
    assertThat(journalFiles()).isEmpty();
  }
}
