package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which entries eviction takes in a store too large to be ordered whole (more than
 * {@value Eviction#EXACT_EVICTION_ROWS} rows), where each round orders a sample of random
 * windows of consecutive rowids. Sampling is random, so the tests decide where the windows can
 * fall by where the rows sit: rows are written at chosen rowids (as another process's rows
 * would be found), and the keys put through the store are chosen by their hash, which is their
 * rowid ({@link EntryKeys}).
 */
class SampledEvictionOrderTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private final DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();

  private Connection db() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
  }

  /** Writes a row at rowid {@code id}; the triggers keep the totals right. */
  private static void insertRow(PreparedStatement ps, long id, String digest, byte[] frame,
      long accessed, long accessCount) throws Exception {
    ps.setLong(1, id);
    ps.setString(2, NS);
    ps.setString(3, digest);
    ps.setLong(4, frame.length);
    ps.setLong(5, accessed);
    ps.setLong(6, accessed);
    ps.setLong(7, accessCount);
    ps.setBytes(8, frame);
    ps.executeUpdate();
  }

  private static final String INSERT = "INSERT INTO entries(id, namespace, digest, size, "
      + "created, accessed, expires, access_count, tags, value, file, keycheck) "
      + "VALUES (?, ?, ?, ?, ?, ?, 0, ?, '', ?, NULL, 1)";

  private Set<Long> ids() throws Exception {
    Set<Long> ids = new HashSet<>();
    try (Connection c = db(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT id FROM entries")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  /** Keys (in {@link #NS}) whose rowids lie in [from, to), the first {@code n} found. */
  private static List<String> keysWithRowidsIn(long from, long to, int n) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; keys.size() < n; i++) {
      String key = "key-" + i;
      long id = EntryKeysTest.hashes(NS, key)[0];
      if (id >= from && id < to) {
        keys.add(key);
      }
    }
    return keys;
  }

  @Test
  void sampledLfuTakesTheLeastRecentlyReadOfEquallyReadEntriesAndCountsEachVictimOnce()
      throws Exception {
    int rows = Eviction.EXACT_EVICTION_ROWS + 8;
    int size = frame(100, 0).length;
    // Every row at or just above `base`, the new key far below: each window of the sample
    // starts below the rows and holds the same first sixteen, so the sample is known.
    long base = 1L << 62;
    String newKey = keysWithRowidsIn(Long.MIN_VALUE, 0, 1).get(0);
    long limit = (long) (rows + 1) * size - size - 1; // two entries too many
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder().clock(clock)
        .eviction(EvictionMode.LFU).maximumBytes(limit).writeBehind(Duration.ZERO)
        .readCache(0, Duration.ZERO).build())) {
      long t = clock.millis;
      try (Connection c = db(); PreparedStatement ps = c.prepareStatement(INSERT)) {
        for (int i = 0; i < rows; i++) {
          // All read once. The first eight were last read longest ago the later their rowid
          // (rowid base + 7 the oldest); the others recently.
          long accessed = i < 8 ? t - 1000 - i : t - 100 + i;
          insertRow(ps, base + i, "row" + i, frame(100, i), accessed, 1);
        }
      }
      store.put(NS, newKey, frame(100, 999), 0, List.of());

      assertThat(store.stats().evictions()).as("two victims, each counted once").isEqualTo(2);
      Set<Long> gone = new HashSet<>();
      for (int i = 0; i < rows; i++) {
        gone.add(base + i);
      }
      gone.removeAll(ids());
      assertThat(gone).as("the two read longest ago, not the two lowest rowids")
          .containsExactlyInAnyOrder(base + 7, base + 6);
      assertThat(store.get(NS, newKey)).isEqualTo(frame(100, 999));
      assertThat(store.stats().bytes()).isLessThanOrEqualTo(limit);
    }
  }

  @Test
  void entriesJustWrittenAreNeverEvictedWhileOlderOnesRemainEvenWhenASampleHoldsOnlyThem()
      throws Exception {
    int old = Eviction.EXACT_EVICTION_ROWS + 8;
    int fresh = 40;
    int size = frame(100, 0).length;
    // The old rows spread over [-2^59, 0), the new keys' rowids all above 2^62: most sample
    // windows start above every old row and hold only new entries, which must not make them
    // victims; the windows that reach the old rows supply the victims.
    long spread = 1L << 59;
    List<String> newKeys = keysWithRowidsIn(1L << 62, Long.MAX_VALUE, fresh);
    long limit = (long) old * size;
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder().clock(clock)
        .eviction(EvictionMode.LFU).maximumBytes(limit).writeBehind(Duration.ofMinutes(1))
        .readCache(0, Duration.ZERO).build())) {
      long t = clock.millis;
      try (Connection c = db(); PreparedStatement ps = c.prepareStatement(INSERT)) {
        for (int i = 0; i < old; i++) {
          // Read more often than a new entry ever was: by LFU alone the new ones would go.
          insertRow(ps, -spread + i * (spread / old), "old" + i, frame(100, i), t - 1000, 5);
        }
      }
      clock.millis++;
      for (String key : newKeys) {
        store.put(NS, key, frame(100, 7), 0, List.of());
      }
      store.flush(); // the forty puts in one transaction, which then evicts

      assertThat(store.stats().evictions()).isEqualTo(fresh);
      assertThat(store.stats().entries()).isEqualTo(old);
      for (String key : newKeys) {
        assertThat(store.get(NS, key)).as(key).isEqualTo(frame(100, 7));
      }
      assertThat(store.stats().bytes()).isLessThanOrEqualTo(limit);
    }
  }
}
