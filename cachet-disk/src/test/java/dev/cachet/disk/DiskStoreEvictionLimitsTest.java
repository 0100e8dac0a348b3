package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.tier.StoreStats;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits of what a write removes: the expired rows a write sweeps ({@code sweepLimit}: none
 * when 0, at most that many per write), and the size limit in a store too large to be ordered
 * whole, where victims are chosen from samples (docs/TESTING.md: written for mutation testing
 * of {@link Eviction}).
 */
class DiskStoreEvictionLimitsTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private static DiskStoreOptions.Builder opts(DiskStoreTest.ManualClock clock) {
    // No write-behind: each put reaches the database (and sweeps, and evicts) before it returns.
    return DiskStoreOptions.builder().clock(clock).writeBehind(java.time.Duration.ZERO);
  }

  @Test
  void aSweepLimitOfZeroLeavesExpiredRowsToReads() {
    DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();
    try (DiskStore store = DiskStore.open(dir, opts(clock).sweepLimit(0).build())) {
      for (int i = 0; i < 5; i++) {
        store.put(NS, "old" + i, frame("o" + i), clock.millis + 10, List.of());
      }
      clock.millis += 10; // expired exactly now
      store.put(NS, "new", frame("n"), 0, List.of());
      StoreStats stats = store.stats();
      assertThat(stats.expirations()).isZero();
      assertThat(stats.entries()).isEqualTo(6);
      assertThat(store.get(NS, "old0")).isNull(); // a read still never returns one
      assertThat(store.stats().expirations()).isEqualTo(1);
    }
  }

  @Test
  void aWriteSweepsAtMostSweepLimitExpiredRowsAndOnlyExpiredOnes() {
    DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();
    try (DiskStore store = DiskStore.open(dir, opts(clock).sweepLimit(2).build())) {
      for (int i = 0; i < 5; i++) {
        store.put(NS, "old" + i, frame("o" + i), clock.millis + 10, List.of());
      }
      store.put(NS, "later", frame("l"), clock.millis + 11, List.of());
      store.put(NS, "never", frame("n"), 0, List.of());
      clock.millis += 10; // the five "old" expire now; "later" one millisecond after

      store.put(NS, "w1", frame("w"), 0, List.of());
      assertThat(store.stats().expirations()).isEqualTo(2);
      assertThat(store.stats().entries()).isEqualTo(8 - 2);
      store.put(NS, "w2", frame("w"), 0, List.of());
      store.put(NS, "w3", frame("w"), 0, List.of());
      assertThat(store.stats().expirations()).isEqualTo(5);
      store.put(NS, "w4", frame("w"), 0, List.of()); // nothing expired is left
      assertThat(store.stats().expirations()).isEqualTo(5);
      assertThat(store.stats().entries()).isEqualTo(6);
      assertThat(store.get(NS, "later")).isNotNull();
      assertThat(store.get(NS, "never")).isNotNull();
    }
  }

  @Test
  void aStoreTooLargeToOrderWholeStillKeepsWithinItsLimitAndKeepsTheNewEntry() {
    DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();
    int rows = Eviction.EXACT_EVICTION_ROWS * 2;
    int size = frame(200, 0).length;
    long limit = (long) rows * size;
    try (DiskStore store = DiskStore.open(dir, opts(clock).maximumBytes(limit).build())) {
      for (int i = 0; i < rows; i++) {
        store.put(NS, "k" + i, frame(200, i), 0, List.of());
        clock.millis++;
      }
      assertThat(store.stats().evictions()).isZero();
      assertThat(store.stats().entries()).isEqualTo(rows);

      // Several entries' worth over the limit at once: sampled rounds (at most four victims
      // each) until the store fits, and not one victim more; the new entry is never the victim
      // while older ones are left.
      byte[] big = frame(200 * 10, 1);
      store.put(NS, "big", big, 0, List.of());
      StoreStats stats = store.stats();
      assertThat(stats.bytes()).isLessThanOrEqualTo(limit);
      assertThat(stats.evictions()).isEqualTo((big.length + size - 1) / size);
      assertThat(stats.entries()).isEqualTo(rows + 1 - stats.evictions());
      assertThat(store.get(NS, "big")).isNotNull();
    }
  }
}
