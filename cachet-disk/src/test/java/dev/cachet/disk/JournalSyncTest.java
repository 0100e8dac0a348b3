package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link Durability#POWER_LOSS} promises for journaled puts, seen through the journal's
 * sync seam instead of a power cut: a put returns only once both journal files are synced (the
 * record is in one of them), appends that were synced by another thread's round are not synced
 * again, a {@link Durability#PROCESS_CRASH} journal never syncs, and a sync that fails costs a
 * counted failure, never the put or the caller.
 */
class JournalSyncTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  /** Records every sync it is asked for, then syncs for real. */
  private static final class CountingSync implements WriteJournal.DiskSync {
    final List<FileChannel> forced = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void force(FileChannel channel) throws IOException {
      forced.add(channel);
      channel.force(false);
    }
  }

  private WriteJournal journal(boolean durable) throws IOException {
    return WriteJournal.create(dir.resolve(DiskStore.JOURNAL_DIR),
        FileModes.of(DiskStoreOptions.defaults()), durable);
  }

  /** Counts the syncs {@code j} makes from now on. */
  private static CountingSync countSyncsOf(WriteJournal j) {
    CountingSync disk = new CountingSync();
    j.syncWith(disk);
    return disk;
  }

  private static WriteJournal.Entry append(WriteJournal j, String digest) throws IOException {
    return j.append(NS, digest, frame(8, digest.hashCode()), 0, List.of(),
        JournalApplier.nowMicros());
  }

  @Test
  void aDurableJournalSyncsBothFilesOnceForEachNewAppend() throws Exception {
    WriteJournal j = journal(true);
    CountingSync disk = countSyncsOf(j);
    WriteJournal.Entry first = append(j, "a");
    j.sync(first);
    assertThat(disk.forced).as("both files, each once").hasSize(2)
        .doesNotHaveDuplicates();
    j.sync(first);
    assertThat(disk.forced).as("an entry already on the disk is not synced again").hasSize(2);
    WriteJournal.Entry second = append(j, "b");
    WriteJournal.Entry third = append(j, "c");
    j.sync(third);
    assertThat(disk.forced).as("one round covers every append made before it").hasSize(4);
    j.sync(second);
    assertThat(disk.forced).as("an earlier append is covered by the later round").hasSize(4);
    j.close(true);
  }

  @Test
  void aJournalThatIsNotDurableNeverSyncs() throws Exception {
    WriteJournal j = journal(false);
    CountingSync disk = countSyncsOf(j);
    for (int i = 0; i < 3; i++) {
      j.sync(append(j, "k" + i));
    }
    assertThat(disk.forced).isEmpty();
    j.close(true);
  }

  @Test
  void aSyncAfterTheJournalClosedTouchesNoFile() throws Exception {
    WriteJournal j = journal(true);
    CountingSync disk = countSyncsOf(j);
    WriteJournal.Entry entry = append(j, "a");
    j.close(false); // what the store's close does when the record could not be applied
    j.sync(entry);
    assertThat(disk.forced).isEmpty();
  }

  @Test
  void aThreadWaitingForAnotherThreadsRoundFindsItsAppendSyncedAndDoesNotSyncAgain()
      throws Exception {
    WriteJournal j = journal(true);
    CountDownLatch firstSyncStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<FileChannel> forced = Collections.synchronizedList(new ArrayList<>());
    j.syncWith(channel -> {
      forced.add(channel);
      if (forced.size() == 1) {
        firstSyncStarted.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      channel.force(false);
    });
    WriteJournal.Entry entry = append(j, "a");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> first = pool.submit(() -> {
        j.sync(entry);
        return null;
      });
      assertThat(firstSyncStarted.await(30, TimeUnit.SECONDS)).isTrue();
      CountDownLatch secondStarted = new CountDownLatch(1);
      Future<?> second = pool.submit(() -> {
        secondStarted.countDown();
        j.sync(entry); // waits for the first round's lock, then finds the entry synced
        return null;
      });
      assertThat(secondStarted.await(30, TimeUnit.SECONDS)).isTrue();
      release.countDown();
      first.get(30, TimeUnit.SECONDS);
      second.get(30, TimeUnit.SECONDS);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
    assertThat(forced).as("one round of two files for the one append").hasSize(2);
    j.close(true);
  }

  @Test
  void aPowerLossStoreSyncsTheJournalBeforeAPutReturns() {
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .durability(Durability.POWER_LOSS).writeBehind(Duration.ofMinutes(1)).build())) {
      CountingSync disk = countSyncsOf(store.journal());
      store.put(NS, "a", frame(8, 1), 0, List.of());
      assertThat(disk.forced).as("synced before put returned").hasSize(2);
      store.put(NS, "b", frame(8, 2), 0, List.of());
      assertThat(disk.forced).hasSize(4);
    }
  }

  @Test
  void aProcessCrashStoreDoesNotWaitForTheDisk() {
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ofMinutes(1)).build())) {
      CountingSync disk = countSyncsOf(store.journal());
      store.put(NS, "a", frame(8, 1), 0, List.of());
      assertThat(store.get(NS, "a")).isEqualTo(frame(8, 1));
      assertThat(disk.forced).isEmpty();
    }
  }

  @Test
  void aSyncThatFailsIsCountedAndLoggedAndThePutStillStands() {
    StoreWarnings warnings = new StoreWarnings();
    warnings.start();
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .durability(Durability.POWER_LOSS).writeBehind(Duration.ofMinutes(1)).build())) {
      store.journal().syncWith(channel -> {
        throw new IOException("simulated fdatasync failure");
      });
      store.put(NS, "a", frame(8, 1), 0, List.of());
      assertThat(store.get(NS, "a")).as("journaled, applied within the write-behind delay")
          .isEqualTo(frame(8, 1));
      store.flush();
      assertThat(store.stats().failures()).isEqualTo(1);
      assertThat(warnings.messages()).anySatisfy(m -> assertThat(m)
          .contains("put failed").contains("simulated fdatasync failure"));
      store.journal().syncWith(channel -> channel.force(false));
    } finally {
      warnings.stop();
    }
    try (DiskStore reopened = DiskStore.open(dir)) {
      assertThat(reopened.get(NS, "a")).isEqualTo(frame(8, 1));
    }
  }
}
