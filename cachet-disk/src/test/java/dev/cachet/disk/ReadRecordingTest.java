package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the store records of reads, which LRU and LFU eviction order by and the statistics
 * report: exact counts for the first {@value ReadRecorder#EXACT_ACCESS_ROWS} entries of a
 * batch, sampled counts beyond, buffered reads written once the interval has passed, and
 * nothing lost when a transaction fails.
 */
class ReadRecordingTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private Connection jdbc() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
  }

  private long accessCount(String digest) throws Exception {
    try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(
        "SELECT access_count FROM entries WHERE digest = ?")) {
      ps.setString(1, digest);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getLong(1);
      }
    }
  }

  private long storedCounter(String name) throws Exception {
    try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(
        "SELECT value FROM counters WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void readsOfTheFirst512EntriesOfABatchAreCountedExactlyAndLaterOnesBySampling()
      throws Exception {
    int n = ReadRecorder.EXACT_ACCESS_ROWS;
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .eviction(EvictionMode.LFU).writeBehind(Duration.ZERO).readCache(0, Duration.ZERO)
        .accessFlush(Integer.MAX_VALUE, Duration.ofHours(1)).build())) {
      for (int i = 0; i < n + 1; i++) {
        store.put(NS, "k" + i, frame("v"), 0, List.of());
      }
      for (int i = 0; i < n - 1; i++) {
        assertThat(store.get(NS, "k" + i)).isNotNull();
      }
      assertThat(store.get(NS, "k0")).isNotNull(); // 511 entries recorded: still exact
      assertThat(store.get(NS, "k" + (n - 1))).isNotNull(); // the 512th entry, exact
      int sampled = 20;
      for (int i = 0; i < sampled; i++) {
        assertThat(store.get(NS, "k1")).isNotNull(); // the batch is full: sampled
      }
      store.flush();
      assertThat(accessCount("k0")).as("stored, then read twice").isEqualTo(3);
      assertThat(accessCount("k" + (n - 1))).isEqualTo(2);
      long k1 = accessCount("k1") - 2;
      assertThat(k1 % ReadRecorder.ACCESS_SAMPLE)
          .as("a sampled read counts %d times", ReadRecorder.ACCESS_SAMPLE).isZero();
      assertThat(k1).as("about one read in %d is sampled", ReadRecorder.ACCESS_SAMPLE)
          .isLessThan(10L * ReadRecorder.ACCESS_SAMPLE);
      assertThat(accessCount("k" + n)).as("never read").isEqualTo(1);
      assertThat(store.stats().hits()).as("every hit counted").isEqualTo(n + 1 + sampled);
    }
  }

  @Test
  void bufferedReadsAreWrittenOnceTheFlushIntervalHasPassedToTheMillisecond()
      throws Exception {
    DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder().clock(clock)
        .writeBehind(Duration.ZERO).readCache(0, Duration.ZERO)
        .accessFlush(Integer.MAX_VALUE, Duration.ofSeconds(1)).build())) {
      store.put(NS, "k", frame("v"), 0, List.of()); // a transaction: the interval starts
      long start = clock.millis;
      clock.millis = start + 999;
      assertThat(store.get(NS, "k")).isNotNull();
      assertThat(store.get(NS, "absent")).isNull();
      clock.millis = start + 1000;
      assertThat(store.get(NS, "k")).isNotNull(); // due: written in the background
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (storedCounter("hits") < 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(storedCounter("hits")).isEqualTo(2);
      assertThat(storedCounter("misses")).isEqualTo(1);
    }
  }

  @Test
  void aMissOnceTheIntervalHasPassedWritesTheBufferedCountsToo() throws Exception {
    DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder().clock(clock)
        .writeBehind(Duration.ZERO).accessFlush(Integer.MAX_VALUE, Duration.ofSeconds(1))
        .build())) {
      store.put(NS, "k", frame("v"), 0, List.of());
      assertThat(store.get(NS, "k")).isNotNull();
      clock.millis += 1000;
      assertThat(store.get(NS, "absent")).isNull();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (storedCounter("misses") < 1 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(storedCounter("misses")).isEqualTo(1);
      assertThat(storedCounter("hits")).isEqualTo(1);
    }
  }

  @Test
  void countsAndReadsTakenByAFailedTransactionAreWrittenByTheNextOne() throws Exception {
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .eviction(EvictionMode.LRU).writeBehind(Duration.ZERO).readCache(0, Duration.ZERO)
        .busyTimeout(Duration.ofMillis(100))
        .accessFlush(Integer.MAX_VALUE, Duration.ofHours(1)).build())) {
      store.put(NS, "k", frame("v"), 0, List.of());
      for (int i = 0; i < 3; i++) {
        assertThat(store.get(NS, "k")).isNotNull();
      }
      assertThat(store.get(NS, "absent")).isNull();
      try (Connection c = jdbc(); Statement s = c.createStatement()) {
        s.execute("BEGIN EXCLUSIVE");
        assertThat(store.remove(NS, "gone")).isFalse(); // fails: the database is locked
        s.execute("ROLLBACK");
      }
      assertThat(store.stats().hits()).as("not lost with the failed transaction").isEqualTo(3);
      assertThat(store.stats().misses()).isEqualTo(1);
      assertThat(store.stats().failures()).isEqualTo(1);
      store.flush();
      assertThat(storedCounter("hits")).isEqualTo(3);
      assertThat(storedCounter("misses")).isEqualTo(1);
      assertThat(storedCounter("writes")).isEqualTo(1);
      assertThat(accessCount("k")).isEqualTo(4);
      assertThat(store.stats().hits()).isEqualTo(3);
    }
  }

  @Test
  void readsServedFromTheJournalTheReadCacheOrMissingAllHaveTheirCountsWritten()
      throws Exception {
    record Case(String name, Duration writeBehind, long readCacheBytes, boolean flushFirst,
        boolean present) {
    }
    List<Case> cases = List.of(
        new Case("journal", Duration.ofMinutes(1), 0, false, true),
        new Case("read cache", Duration.ZERO, 1 << 20, false, true),
        new Case("database", Duration.ZERO, 0, false, true),
        new Case("misses", Duration.ZERO, 0, false, false));
    for (Case c : cases) {
      Path sub = dir.resolve(c.name().replace(' ', '-'));
      try (DiskStore store = DiskStore.open(sub, DiskStoreOptions.builder()
          .writeBehind(c.writeBehind()).readCache(c.readCacheBytes(), Duration.ofSeconds(1))
          .accessFlush(2, Duration.ofHours(1)).build())) {
        store.put(NS, "k", frame("v"), 0, List.of());
        String key = c.present() ? "k" : "absent";
        store.get(NS, key); // from the database (or the journal); fills the read cache
        store.get(NS, key); // the second read: from the read cache when there is one; due
        String counter = c.present() ? "hits" : "misses";
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + sub.resolve(
            DiskStore.DB_FILE)); PreparedStatement ps = conn.prepareStatement(
                "SELECT value FROM counters WHERE name = ?")) {
          ps.setString(1, counter);
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          long stored = 0;
          while (stored < 2 && System.nanoTime() < deadline) {
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              stored = rs.getLong(1);
            }
          }
          assertThat(stored).as(c.name() + ": written in the background").isEqualTo(2);
        }
      }
    }
  }
}
