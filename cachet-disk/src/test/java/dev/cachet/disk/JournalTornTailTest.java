package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed inside the {@code write()} of a journal record leaves that record torn at
 * the end of its journal. The next open replays every whole record before it, drops the torn
 * one, and opens: a crash mid-write must never keep the store from opening nor lose the puts
 * acknowledged before it.
 */
class JournalTornTailTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private static List<Path> files(Path folder) throws Exception {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.toList();
    }
  }

  @Test
  void theWholeRecordsBeforeATornLastRecordAreReplayedAndTheStoreOpens() throws Exception {
    record Case(String name, int cutFromEnd) {
    }
    byte[] last = frame("the torn put");
    // The last record: an 8-byte header (length, checksum) and its body.
    for (Case c : List.of(new Case("torn inside the body", 5),
        new Case("torn after the header", last.length + 1),
        new Case("torn inside the header", 0))) {
      Path store = dir.resolve(c.name().replace(' ', '-'));
      Path journals = store.resolve(DiskStore.JOURNAL_DIR);
      WriteJournal dead = WriteJournal.create(journals,
          FileModes.of(DiskStoreOptions.defaults()), false);
      long t = nowMicros();
      dead.append(NS, "first", frame("first"), 0, List.of(), t);
      dead.append(NS, "second", frame("second"), 0, List.of(), t + 1);
      Path file = files(journals).stream().filter(p -> {
        try {
          return Files.size(p) > 0;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).findFirst().orElseThrow();
      long before = Files.size(file);
      dead.append(NS, "torn", last, 0, List.of(), t + 2);
      long recordEnd = Files.size(file);
      dead.close(false); // the process dies
      long keep = c.cutFromEnd() == 0 ? before + 3 : recordEnd - c.cutFromEnd();
      assertThat(keep).as(c.name()).isGreaterThan(before).isLessThan(recordEnd);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(keep);
      }

      try (DiskStore s = DiskStore.open(store)) {
        assertThat(s.get(NS, "first")).as(c.name()).isEqualTo(frame("first"));
        assertThat(s.get(NS, "second")).as(c.name()).isEqualTo(frame("second"));
        assertThat(s.get(NS, "torn")).as(c.name() + ": dropped").isNull();
      }
      assertThat(files(journals)).as(c.name() + ": replayed, then deleted").isEmpty();
    }
  }
}
