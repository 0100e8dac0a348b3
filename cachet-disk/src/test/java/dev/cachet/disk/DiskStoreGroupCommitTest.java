package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.tier.StoreStats;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit and sampled eviction: the parts of the store that batching changed. */
class DiskStoreGroupCommitTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  @Test
  void everyPutIsCommittedWhenItReturnsEvenWhenThreadsShareCommits() throws Exception {
    int threads = 4;
    int perThread = 150;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    // Without the journal, so that every put goes through group commit.
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .sideFileThreshold(2048).writeBehind(Duration.ZERO).build())) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(pool.submit(() -> {
          // Another connection, as another process would read: it sees only committed rows.
          try (Connection other = DriverManager.getConnection("jdbc:sqlite:"
              + dir.resolve(DiskStore.DB_FILE));
              PreparedStatement ps = other.prepareStatement(
                  "SELECT COUNT(*) FROM entries WHERE namespace = ? AND digest = ?")) {
            start.await();
            for (int i = 0; i < perThread; i++) {
              String key = id + ":" + i;
              store.put(NS, key, frame(i % 10 == 0 ? 5000 : 100, i), 0, List.of("t" + id));
              ps.setString(1, NS);
              ps.setString(2, key);
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("%s committed when put returned", key)
                    .isEqualTo(1);
              }
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
      StoreStats stats = store.stats();
      assertThat(stats.entries()).isEqualTo((long) threads * perThread);
      assertThat(stats.writes()).isEqualTo((long) threads * perThread);
      assertThat(stats.failures()).isZero();
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < perThread; i++) {
          assertThat(store.get(NS, t + ":" + i)).isEqualTo(frame(i % 10 == 0 ? 5000 : 100, i));
        }
      }
      assertThat(store.removeTag("t0")).isEqualTo(perThread);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void largeLruStoresEvictBySamplingAndKeepWhatIsRead() {
    int size = frame(200, 0).length;
    int capacity = 1500;
    DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder().clock(clock)
        .eviction(EvictionMode.LRU).maximumBytes((long) capacity * size)
        .accessFlush(64, java.time.Duration.ofSeconds(1)).build())) {
      for (int i = 0; i < 1000; i++) {
        store.put(NS, "old" + i, frame(200, i), 0, List.of());
      }
      store.flush(); // reads of puts still in the journal are not recorded
      clock.millis += 5; // reads strictly later than every first-wave write
      for (int r = 0; r < 2; r++) {
        for (int i = 0; i < 100; i++) {
          assertThat(store.get(NS, "old" + i)).isNotNull();
        }
      }
      store.flush();
      clock.millis += 5;
      for (int i = 0; i < 1000; i++) {
        store.put(NS, "new" + i, frame(200, i), 0, List.of());
      }
      StoreStats stats = store.stats();
      assertThat(stats.bytes()).isLessThanOrEqualTo((long) capacity * size);
      assertThat(stats.evictions()).isGreaterThanOrEqualTo(500);
      int hotKept = 0;
      for (int i = 0; i < 100; i++) {
        hotKept += store.get(NS, "old" + i) != null ? 1 : 0;
      }
      int coldKept = 0;
      for (int i = 100; i < 1000; i++) {
        coldKept += store.get(NS, "old" + i) != null ? 1 : 0;
      }
      // Sampling approximates LRU: the read entries survive far better than the unread ones.
      assertThat(hotKept).isGreaterThanOrEqualTo(90);
      assertThat(coldKept).isLessThan(600);
    }
  }
}
