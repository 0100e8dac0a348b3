package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A put still in this process's journal that expires before the write-behind delay has passed:
 * once a read of this process finds it expired, the journal is applied at once, so every
 * process stops seeing the value it replaced and the expiration is in the shared counters,
 * instead of both waiting for the write-behind delay.
 */
class ExpiredJournaledPutTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private final DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();

  private DiskStore open() {
    // A write-behind delay longer than the test, and buffered reads never due: only the
    // read that finds the put expired can apply the journal.
    return DiskStore.open(dir, DiskStoreOptions.builder().writeBehind(Duration.ofMinutes(1))
        .accessFlush(Integer.MAX_VALUE, Duration.ofHours(1)).readCache(0, Duration.ZERO)
        .clock(clock).build());
  }

  @Test
  void aReadThatFindsItsJournaledPutExpiredAppliesTheJournalForEveryProcess() {
    try (DiskStore writer = open(); DiskStore other = open()) {
      writer.put(NS, "k", frame("old"), 0, List.of());
      writer.flush();
      long expires = clock.millis + 1000;
      writer.put(NS, "k", frame("brief"), expires, List.of());
      assertThat(other.get(NS, "k")).as("journaled: the other process still reads the old value")
          .isEqualTo(frame("old"));

      clock.millis = expires;
      assertThat(writer.get(NS, "k")).as("expired in the journal").isNull();

      assertThat(other.get(NS, "k")).as("the old value went with the expired put").isNull();
      assertThat(other.stats().expirations()).as("counted where every process sees it")
          .isEqualTo(1);
      assertThat(other.stats().entries()).isZero();
    }
  }
}
