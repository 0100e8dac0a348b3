package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read counts that LFU eviction orders by, once a batch is past its exact part: sampled
 * reads of an entry add up to its count; and when buffered reads are written by count
 * ({@code accessFlush(reads, ...)}): at the threshold exactly when it is 64 or less, and soon
 * after it when it is larger (then only one read in 64 looks at the total).
 */
class ReadCountThresholdsTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private static long query(Path store, String sql, String arg) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
        + store.resolve(DiskStore.DB_FILE)); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getLong(1);
      }
    }
  }

  private static long storedHits(Path store) throws Exception {
    return query(store, "SELECT value FROM counters WHERE name = ?", "hits");
  }

  /** Waits, at most 20 s, until the store's database's hit count is at least {@code n}. */
  private static long awaitStoredHits(Path store, long n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    long stored = storedHits(store);
    while (stored < n && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      stored = storedHits(store);
    }
    return stored;
  }

  @Test
  void sampledReadsOfAnEntryAlreadyInTheBatchAddUpToItsReadCount() throws Exception {
    int exact = ReadRecorder.EXACT_ACCESS_ROWS;
    int sampledReads = 2000;
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .eviction(EvictionMode.LFU).writeBehind(Duration.ofMinutes(1))
        .readCache(0, Duration.ZERO).accessFlush(Integer.MAX_VALUE, Duration.ofHours(1))
        .build())) {
      for (int i = 0; i < exact; i++) {
        store.put(NS, "k" + i, frame("v"), 0, List.of());
      }
      store.flush();
      for (int i = 0; i < exact; i++) {
        assertThat(store.get(NS, "k" + i)).isNotNull(); // the batch's exact part, now full
      }
      for (int i = 0; i < sampledReads; i++) {
        assertThat(store.get(NS, "k0")).isNotNull(); // sampled, merged into k0's record
      }
      store.flush();
      long count = query(dir, "SELECT access_count FROM entries WHERE digest = ?", "k0");
      long samples = (count - 2) / ReadRecorder.ACCESS_SAMPLE;
      assertThat((count - 2) % ReadRecorder.ACCESS_SAMPLE).as("count %d", count).isZero();
      // About 2000 / 32 = 62.5 samples (standard deviation 7.8): outside 20..150 has odds
      // below one in a billion.
      assertThat(samples).as("count %d", count).isBetween(20L, 150L);
    }
  }

  @Test
  void aThresholdOf64ReadsIsCheckedOnEveryReadAndMetExactly() throws Exception {
    int every = 64;
    // Three stores: a threshold looked at only now and then would have to be met at the 64th
    // read in each.
    for (int round = 0; round < 3; round++) {
      Path sub = dir.resolve("store" + round);
      try (DiskStore store = DiskStore.open(sub, DiskStoreOptions.builder()
          .writeBehind(Duration.ZERO).readCache(0, Duration.ZERO)
          .accessFlush(every, Duration.ofHours(1)).build())) {
        store.put(NS, "k", frame("v"), 0, List.of());
        for (int i = 0; i < every; i++) {
          assertThat(store.get(NS, "k")).isNotNull();
        }
        // Written in the background at the 64th read: all 64 reads, not fewer.
        assertThat(awaitStoredHits(sub, every)).as("store " + round).isEqualTo(every);
      }
    }
  }

  @Test
  void aThresholdAbove64IsNoticedSoonAfterItIsPassed() throws Exception {
    int every = 100;
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).readCache(0, Duration.ZERO)
        .accessFlush(every, Duration.ofHours(1)).build())) {
      store.put(NS, "k", frame("v"), 0, List.of());
      int reads = 0;
      // One read in 64 looks at the total: 4000 reads past the threshold all missing it has
      // odds of (63/64)^3900, below 10^-26.
      while (reads < 4000 && (reads < every || reads % 50 != 0 || storedHits(dir) == 0)) {
        assertThat(store.get(NS, "k")).isNotNull();
        reads++;
      }
      assertThat(awaitStoredHits(dir, every)).isGreaterThanOrEqualTo(every);
    }
  }
}
