package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cachet.tier.StoreStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskStoreTest {
  private static final String NS = "fn:1:code:type";
  private static final int SMALL_THRESHOLD = 1024;

  @TempDir
  Path dir;

  /** A clock the tests move by hand. */
  static final class ManualClock extends Clock {
    long millis = 1_700_000_000_000L;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
      return millis;
    }
  }

  private DiskStoreOptions.Builder opts() {
    return DiskStoreOptions.builder().sideFileThreshold(SMALL_THRESHOLD);
  }

  private long sideFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve(DiskStore.FILES_DIR))) {
      return files.count();
    }
  }

  private Connection jdbc() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
  }

  @Test
  void storesAndReturnsInlineAndSideFileFrames() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      byte[] small = frame("hello");
      byte[] large = frame(10_000, 7);
      store.put(NS, "a", small, 0, List.of());
      store.put(NS, "b", large, 0, List.of());
      assertThat(store.get(NS, "a")).isEqualTo(small);
      assertThat(store.get(NS, "b")).isEqualTo(large);
      assertThat(store.get(NS, "c")).isNull();
      assertThat(store.get("other", "a")).isNull();
      assertThat(sideFiles()).isEqualTo(1);
      StoreStats stats = store.stats();
      assertThat(stats.entries()).isEqualTo(2);
      assertThat(stats.bytes()).isEqualTo(small.length + large.length);
      assertThat(stats.hits()).isEqualTo(2);
      assertThat(stats.misses()).isEqualTo(2);
      assertThat(stats.writes()).isEqualTo(2);
      assertThat(store.describe()).isEqualTo("disk:" + dir.toAbsolutePath().normalize());
    }
  }

  @Test
  void replacingAnEntryDropsTheOldSideFile() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      store.put(NS, "k", frame(5000, 1), 0, List.of());
      byte[] second = frame(6000, 2);
      store.put(NS, "k", second, 0, List.of());
      assertThat(sideFiles()).isEqualTo(1);
      assertThat(store.get(NS, "k")).isEqualTo(second);
      byte[] third = frame("small now");
      store.put(NS, "k", third, 0, List.of());
      store.flush(); // the old side file goes when the journaled put reaches the database
      assertThat(sideFiles()).isZero();
      assertThat(store.get(NS, "k")).isEqualTo(third);
      assertThat(store.stats().entries()).isEqualTo(1);
      assertThat(store.stats().bytes()).isEqualTo(third.length);
    }
  }

  @Test
  void removesOneNamespaceTagAndAll() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      store.put(NS, "a", frame("a"), 0, List.of("tenant-1", "x"));
      store.put(NS, "b", frame(4000, 3), 0, List.of("tenant-1"));
      store.put(NS, "c", frame("c"), 0, List.of("tenant-2"));
      store.put("other", "a", frame("oa"), 0, List.of());
      store.put("other", "b", frame(4000, 4), 0, List.of("tenant-2"));

      assertThat(store.remove(NS, "a")).isTrue();
      assertThat(store.remove(NS, "a")).isFalse();
      assertThat(store.removeTag("x")).isZero(); // went with "a"
      assertThat(store.removeTag("tenant-1")).isEqualTo(1);
      assertThat(store.get(NS, "b")).isNull();
      assertThat(store.get(NS, "c")).isNotNull();
      assertThat(store.removeNamespace("other")).isEqualTo(2);
      assertThat(store.get("other", "a")).isNull();
      assertThat(sideFiles()).isZero();
      assertThat(store.stats().entries()).isEqualTo(1);

      store.put(NS, "d", frame(4000, 5), 0, List.of());
      store.clear();
      assertThat(store.get(NS, "c")).isNull();
      assertThat(store.get(NS, "d")).isNull();
      assertThat(store.stats().entries()).isZero();
      assertThat(store.stats().bytes()).isZero();
      assertThat(sideFiles()).isZero();
    }
  }

  @Test
  void digestsListsTheLiveEntriesOfOneNamespace() throws Exception {
    ManualClock clock = new ManualClock();
    try (DiskStore store = DiskStore.open(dir, opts().clock(clock).build())) {
      store.put(NS, "a", frame("a"), 0, List.of());
      store.put(NS, "b", frame(4000, 2), 0, List.of());
      store.put(NS, "old", frame("o"), clock.millis + 10, List.of());
      store.put("other:ns", "c", frame("c"), 0, List.of());
      clock.millis += 10;
      assertThat(store.digests(NS, 10)).containsExactlyInAnyOrder("a", "b");
      assertThat(store.digests(NS, 1)).hasSize(1);
      assertThat(store.digests("absent", 10)).isEmpty();
    }
  }

  @Test
  void expiredEntriesAreNeverReturnedAndAreSwept() throws Exception {
    ManualClock clock = new ManualClock();
    try (DiskStore store = DiskStore.open(dir, opts().clock(clock).build())) {
      store.put(NS, "short", frame("s"), clock.millis + 1000, List.of());
      store.put(NS, "swept", frame(4000, 1), clock.millis + 1000, List.of());
      store.put(NS, "long", frame("l"), clock.millis + 100_000, List.of());
      store.put(NS, "never", frame("n"), 0, List.of());
      store.flush(); // into the database, where reads expire and writes sweep
      assertThat(store.get(NS, "short")).isNotNull();
      clock.millis += 1000;
      assertThat(store.get(NS, "short")).isNull(); // lazily, on read
      assertThat(store.stats().expirations()).isEqualTo(1);
      store.put(NS, "trigger", frame("t"), 0, List.of()); // sweeps "swept"
      assertThat(store.stats().expirations()).isEqualTo(2);
      assertThat(store.stats().entries()).isEqualTo(3);
      assertThat(sideFiles()).isZero();
      assertThat(store.get(NS, "long")).isNotNull();
      assertThat(store.get(NS, "never")).isNotNull();

      store.put(NS, "never", frame("gone"), clock.millis - 1, List.of()); // already expired
      assertThat(store.get(NS, "never")).isNull();
    }
  }

  @Test
  void evictsTheOldestStoredByDefault() {
    ManualClock clock = new ManualClock();
    int size = frame(100, 0).length;
    try (DiskStore store = DiskStore.open(dir,
        opts().clock(clock).maximumBytes(3L * size).build())) {
      for (int i = 0; i < 3; i++) {
        store.put(NS, "k" + i, frame(100, i), 0, List.of());
        // Puts reach the database in batches, each stored at its batch's time: within one,
        // the order is arbitrary.
        store.flush();
        clock.millis++;
      }
      store.get(NS, "k0"); // reads do not matter for this order
      store.put(NS, "k3", frame(100, 3), 0, List.of());
      store.flush(); // eviction runs when journaled puts reach the database
      assertThat(store.get(NS, "k0")).isNull();
      assertThat(store.get(NS, "k1")).isNotNull();
      assertThat(store.get(NS, "k3")).isNotNull();
      assertThat(store.stats().evictions()).isEqualTo(1);
      assertThat(store.stats().bytes()).isLessThanOrEqualTo(3L * size);
    }
  }

  @Test
  void lruEvictsTheLeastRecentlyRead() {
    ManualClock clock = new ManualClock();
    int size = frame(100, 0).length;
    try (DiskStore store = DiskStore.open(dir, opts().clock(clock).maximumBytes(3L * size)
        .eviction(EvictionMode.LRU).build())) {
      for (int i = 0; i < 3; i++) {
        store.put(NS, "k" + i, frame(100, i), 0, List.of());
        // Puts reach the database in batches, each stored at its batch's time: within one,
        // the order is arbitrary.
        store.flush();
        clock.millis++;
      }
      clock.millis++;
      store.get(NS, "k0"); // buffered, written with the next put before choosing victims
      clock.millis++;
      store.put(NS, "k3", frame(100, 3), 0, List.of());
      store.flush();
      assertThat(store.get(NS, "k1")).isNull();
      assertThat(store.get(NS, "k0")).isNotNull();
      assertThat(store.get(NS, "k2")).isNotNull();
      assertThat(store.stats().evictions()).isEqualTo(1);
    }
  }

  @Test
  void lfuEvictsTheLeastOftenRead() {
    ManualClock clock = new ManualClock();
    int size = frame(100, 0).length;
    try (DiskStore store = DiskStore.open(dir, opts().clock(clock).maximumBytes(3L * size)
        .eviction(EvictionMode.LFU).build())) {
      for (int i = 0; i < 3; i++) {
        store.put(NS, "k" + i, frame(100, i), 0, List.of());
        // Puts reach the database in batches, each stored at its batch's time: within one,
        // the order is arbitrary.
        store.flush();
        clock.millis++;
      }
      for (int r = 0; r < 3; r++) {
        store.get(NS, "k0");
        store.get(NS, "k2");
        clock.millis++;
      }
      store.get(NS, "k1"); // most recent, but least often
      store.put(NS, "k3", frame(100, 3), 0, List.of());
      store.flush();
      assertThat(store.get(NS, "k1")).isNull();
      assertThat(store.get(NS, "k0")).isNotNull();
      assertThat(store.get(NS, "k2")).isNotNull();
      assertThat(store.get(NS, "k3")).isNotNull();
    }
  }

  @Test
  void evictionRemovesSideFilesAndManyEntriesAtOnce() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().maximumBytes(50_000).build())) {
      for (int i = 0; i < 20; i++) {
        store.put(NS, "k" + i, frame(4000, i), 0, List.of());
      }
      assertThat(store.stats().bytes()).isLessThanOrEqualTo(50_000);
      store.put(NS, "big", frame(45_000, 9), 0, List.of());
      StoreStats stats = store.stats();
      assertThat(stats.bytes()).isLessThanOrEqualTo(50_000);
      assertThat(stats.entries()).isEqualTo(sideFiles());
      assertThat(store.get(NS, "big")).isNotNull();
    }
  }

  @Test
  void anEntryAloneOverTheLimitIsNotKept() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().maximumBytes(1000).build())) {
      store.put(NS, "small", frame("s"), 0, List.of());
      store.put(NS, "huge", frame(5000, 1), 0, List.of());
      assertThat(store.get(NS, "huge")).isNull();
      assertThat(store.stats().entries()).isZero();
      assertThat(store.stats().evictions()).isEqualTo(2);
      assertThat(sideFiles()).isZero();
    }
  }

  @Test
  void orphanedSideFilesAreDeletedWhenOldEnough() throws Exception {
    byte[] kept = frame(5000, 1);
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      store.put(NS, "k", kept, 0, List.of());
    }
    Path files = dir.resolve(DiskStore.FILES_DIR);
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(1)));
    try (Stream<Path> list = Files.list(files)) {
      Files.setLastModifiedTime(list.findFirst().orElseThrow(), old); // named by a row: kept
    }
    Files.setLastModifiedTime(Files.write(files.resolve("dead.entry"), new byte[10]), old);
    Files.setLastModifiedTime(Files.write(files.resolve("half.entry.tmp"), new byte[3]), old);
    Files.write(files.resolve("young.entry"), new byte[10]); // maybe about to be committed
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      assertThat(files.resolve("dead.entry")).doesNotExist();
      assertThat(files.resolve("half.entry.tmp")).doesNotExist();
      assertThat(files.resolve("young.entry")).exists();
      assertThat(store.get(NS, "k")).isEqualTo(kept);
      assertThat(store.removeOrphanFiles(Duration.ZERO)).isEqualTo(1);
      assertThat(sideFiles()).isEqualTo(1);
    }
  }

  @Test
  void readsAreWrittenInBatchesNotOneByOne() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().eviction(EvictionMode.LFU)
        .accessFlush(1000, Duration.ofHours(1)).build())) {
      store.put(NS, "k", frame("v"), 0, List.of());
      store.flush(); // reads of puts still in the journal are not recorded
      for (int i = 0; i < 10; i++) {
        assertThat(store.get(NS, "k")).isNotNull();
      }
      assertThat(accessCount("k")).isEqualTo(1);
      store.flush();
      assertThat(accessCount("k")).isEqualTo(11);
    }
  }

  @Test
  void theDefaultOrderCountsReadsWithoutWritingEachEntry() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      store.put(NS, "k", frame("v"), 0, List.of());
      store.flush();
      for (int i = 0; i < 10; i++) {
        assertThat(store.get(NS, "k")).isNotNull();
      }
      store.flush();
      assertThat(accessCount("k")).as("least recently stored does not order by reads")
          .isEqualTo(1);
      assertThat(storedCounter("hits")).isEqualTo(10);
    }
  }

  @Test
  void aRowIsServedOnlyToItsOwnKeyAndGivesWayToTheKeyWhoseRowidItHolds() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      store.put(NS, "a", frame("a"), 0, List.of());
      store.put(NS, "b", frame("b"), 0, List.of());
      store.flush();
      try (Connection c = jdbc(); Statement s = c.createStatement()) {
        // b's row where a's hash points, as a hash collision (or a damaged rowid) would put it.
        s.executeUpdate("DELETE FROM entries WHERE digest = 'a'");
        s.executeUpdate("UPDATE entries SET id = " + EntryKeysTest.hashes(NS, "a")[0]
            + " WHERE digest = 'b'");
      }
      assertThat(store.get(NS, "a")).isNull();
      assertThat(store.get(NS, "b")).isNull();

      byte[] again = frame("a again");
      store.put(NS, "a", again, 0, List.of("t"));
      store.flush();
      assertThat(store.get(NS, "a")).isEqualTo(again);
      assertThat(store.stats().entries()).isEqualTo(1);
      assertThat(store.removeTag("t")).isEqualTo(1);
      assertThat(store.get(NS, "a")).isNull();
    }
  }

  @Test
  void aKeyWhoseRowAnOlderVersionWroteElsewhereIsReplacedNotDuplicated() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      store.put(NS, "k", frame("old"), 0, List.of());
      store.flush();
      try (Connection c = jdbc(); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE entries SET id = 12345 WHERE digest = 'k'");
      }
      assertThat(store.get(NS, "k")).isNull();
      byte[] fresh = frame("fresh");
      store.put(NS, "k", fresh, 0, List.of());
      store.flush();
      assertThat(store.get(NS, "k")).isEqualTo(fresh);
      assertThat(store.stats().entries()).isEqualTo(1);
    }
  }

  @Test
  void aStoreOfSchemaVersionOneMovesItsEntriesToHashedRowidsWhenOpened() throws Exception {
    byte[] large = frame(20_000, 3);
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      for (int i = 0; i < 50; i++) {
        store.put(NS, "k" + i, frame("v" + i), 0, List.of(i % 2 == 0 ? "even" : "odd"));
      }
      store.put(NS, "large", large, 0, List.of("odd"));
    }
    // Made into version 1's shape: rows numbered 1, 2, 3, ... in the order they were stored,
    // a keyhash column and no keycheck.
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE entries DROP COLUMN keycheck");
      s.execute("ALTER TABLE entries ADD COLUMN keyhash INTEGER");
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT id FROM entries ORDER BY created, id")) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      for (int i = 0; i < ids.size(); i++) {
        s.executeUpdate("UPDATE entries SET id = " + (i + 1) + " WHERE id = " + ids.get(i));
        s.executeUpdate("UPDATE entry_tags SET entry_id = " + (i + 1) + " WHERE entry_id = "
            + ids.get(i));
      }
      s.executeUpdate("UPDATE meta SET value = '1' WHERE key = 'schema_version'");
    }
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      for (int i = 0; i < 50; i++) {
        assertThat(store.get(NS, "k" + i)).as("k" + i).isEqualTo(frame("v" + i));
      }
      assertThat(store.get(NS, "large")).isEqualTo(large);
      assertThat(store.stats().entries()).isEqualTo(51);
      assertThat(store.removeTag("odd")).isEqualTo(26);
      assertThat(store.get(NS, "k1")).isNull();
      assertThat(store.get(NS, "k0")).isEqualTo(frame("v0"));
    }
    try (Connection c = jdbc(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(String.valueOf(DiskStore.SCHEMA_VERSION));
    }
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

  @Test
  void survivesCloseAndReopen() {
    byte[] small = frame("kept");
    byte[] large = frame(20_000, 5);
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      store.put(NS, "a", small, 0, List.of("t"));
      store.put(NS, "b", large, 0, List.of("t"));
      store.get(NS, "a");
    }
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      assertThat(store.get(NS, "a")).isEqualTo(small);
      assertThat(store.get(NS, "b")).isEqualTo(large);
      StoreStats stats = store.stats();
      assertThat(stats.entries()).isEqualTo(2);
      assertThat(stats.hits()).isEqualTo(3); // counters persist across processes and runs
      assertThat(stats.writes()).isEqualTo(2);
      assertThat(store.removeTag("t")).isEqualTo(2);
    }
  }

  @Test
  void aNewStoreIsCreatedWithSmallPages() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      store.put(NS, "a", frame("a"), 0, List.of());
    }
    assertThat(pageSize()).isEqualTo(Schema.NEW_STORE_PAGE_SIZE).isEqualTo(1024);
  }

  @Test
  void aStoreCreatedWithLargerPagesKeepsThemAndItsEntries() throws Exception {
    byte[] kept = frame("kept");
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      store.put(NS, "old", kept, 0, List.of("t"));
      store.put(NS, "large", frame(20_000, 3), 0, List.of());
    }
    // Rebuilt with SQLite's default 4096-byte pages, as every store made before the change
    // was (a WAL database keeps its page size; VACUUM outside WAL is the only way to change it).
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=DELETE");
      s.execute("PRAGMA page_size=4096");
      s.execute("VACUUM");
      s.execute("PRAGMA journal_mode=WAL");
    }
    assertThat(pageSize()).isEqualTo(4096);
    byte[] added = frame("added");
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      assertThat(store.get(NS, "old")).isEqualTo(kept);
      store.put(NS, "new", added, 0, List.of("t"));
      store.flush();
    }
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      assertThat(store.get(NS, "new")).isEqualTo(added);
      assertThat(store.get(NS, "large")).isEqualTo(frame(20_000, 3));
      assertThat(store.removeTag("t")).isEqualTo(2);
    }
    assertThat(pageSize()).isEqualTo(4096);
  }

  /** The database's page size, read while no store has it open. */
  private long pageSize() throws Exception {
    try (Connection c = jdbc(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA page_size")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void refusesAStoreWhoseSchemaVersionIsNotANumberAndLeavesItUntouched() throws Exception {
    try (DiskStore store = DiskStore.open(dir)) {
      store.put(NS, "a", frame("a"), 0, List.of());
    }
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute("UPDATE meta SET value = 'v2-beta' WHERE key = 'schema_version'");
    }
    assertThatThrownBy(() -> DiskStore.open(dir))
        .isInstanceOf(DiskStoreException.class)
        .hasMessageContaining(dir.toAbsolutePath().normalize().toString())
        .hasMessageContaining("its schema version is 'v2-beta', not a number")
        .hasMessageContaining("left untouched");
    try (Connection c = jdbc(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM entries")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(1);
    }
  }

  @Test
  void refusesAStoreWrittenByANewerSchema() throws Exception {
    try (DiskStore store = DiskStore.open(dir)) {
      store.put(NS, "a", frame("a"), 0, List.of());
    }
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'");
    }
    assertThatThrownBy(() -> DiskStore.open(dir))
        .isInstanceOf(DiskStoreException.class)
        .hasMessageContaining(dir.toAbsolutePath().normalize().toString())
        .hasMessageContaining("schema version 7")
        .hasMessageContaining("schema version " + DiskStore.SCHEMA_VERSION);
    try (Connection c = jdbc(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM entries")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(1); // never wiped
    }
  }

  @Test
  void refusesAFileAsDirectory() throws Exception {
    Path file = Files.writeString(dir.resolve("plain.txt"), "x");
    assertThatThrownBy(() -> DiskStore.open(file))
        .isInstanceOf(DiskStoreException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a directory");
    assertThatThrownBy(() -> DiskStore.open(file.resolve("below")))
        .isInstanceOf(DiskStoreException.class)
        .hasMessageContaining(file.resolve("below").toString())
        .hasMessageContaining("cannot create the directory");
  }

  @Test
  void refusesAPathItCannotCreate() {
    Path proc = Path.of("/proc/1/cachet-store");
    assumeThat(Files.isDirectory(Path.of("/proc/1"))).as("Linux procfs").isTrue();
    assertThatThrownBy(() -> DiskStore.open(proc))
        .isInstanceOf(DiskStoreException.class)
        .hasMessageContaining(proc.toString())
        .hasMessageContaining("cannot create the directory");
  }

  @Test
  void countersOfReadsReachTheDatabaseInBatches() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().accessFlush(4, Duration.ofHours(1))
        .eviction(EvictionMode.LRU).build())) {
      store.put(NS, "k", frame("v"), 0, List.of());
      store.flush(); // into the database, so that its reads are recorded
      for (int i = 0; i < 3; i++) {
        store.get(NS, "absent" + i);
      }
      assertThat(storedCounter("misses")).isZero();
      assertThat(store.stats().misses()).isEqualTo(3); // the process's own view is current
      store.get(NS, "k"); // the fourth read has the batch written, in the background
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (storedCounter("hits") == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(storedCounter("misses")).isEqualTo(3);
      assertThat(storedCounter("hits")).isEqualTo(1);
      assertThat(accessCount("k")).isEqualTo(2);
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
  void refusesAnUnwritableDirectory() throws Exception {
    assumeThat(System.getProperty("user.name")).as("root can write anywhere").isNotEqualTo("root");
    Path ro = Files.createDirectory(dir.resolve("ro"));
    assumeThat(ro.toFile().setWritable(false, false)).isTrue();
    try {
      assertThatThrownBy(() -> DiskStore.open(ro))
          .isInstanceOf(DiskStoreException.class)
          .hasMessageContaining(ro.toString());
    } finally {
      ro.toFile().setWritable(true, false);
    }
  }

  @Test
  void aDamagedSideFileIsAMissCountedAndRemoved() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      store.put(NS, "k", frame(5000, 1), 0, List.of());
      Path side;
      try (Stream<Path> files = Files.list(dir.resolve(DiskStore.FILES_DIR))) {
        side = files.findFirst().orElseThrow();
      }
      byte[] bytes = Files.readAllBytes(side);
      bytes[2500] ^= 0x10;
      Files.write(side, bytes);
      assertThat(store.get(NS, "k")).isNull();
      assertThat(store.stats().corruptions()).isEqualTo(1);
      assertThat(store.stats().entries()).isZero();
      assertThat(side).doesNotExist();
      assertThat(store.get(NS, "k")).isNull();
      assertThat(store.stats().corruptions()).isEqualTo(1);
    }
  }

  @Test
  void aMissingSideFileIsAMissCountedAndRemoved() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      store.put(NS, "k", frame(5000, 1), 0, List.of());
      try (Stream<Path> files = Files.list(dir.resolve(DiskStore.FILES_DIR))) {
        Files.delete(files.findFirst().orElseThrow());
      }
      assertThat(store.get(NS, "k")).isNull();
      assertThat(store.stats().corruptions()).isEqualTo(1);
      assertThat(store.stats().entries()).isZero();
    }
  }

  @Test
  void aDamagedInlineValueIsAMissCountedAndRemoved() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      byte[] good = frame("a value long enough to damage");
      store.put(NS, "k", good, 0, List.of());
      store.put(NS, "notaframe", good, 0, List.of());
      store.flush(); // into the database, to be damaged there
      byte[] bad = good.clone();
      bad[20] ^= 0x01;
      try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(
          "UPDATE entries SET value = ? WHERE digest = ?")) {
        ps.setBytes(1, bad);
        ps.setString(2, "k");
        ps.executeUpdate();
        ps.setBytes(1, "{\"json\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ps.setString(2, "notaframe");
        ps.executeUpdate();
      }
      assertThat(store.get(NS, "k")).isNull();
      assertThat(store.get(NS, "notaframe")).isNull();
      assertThat(store.stats().corruptions()).isEqualTo(2);
      assertThat(store.stats().entries()).isZero();
    }
  }

  @Test
  void aLockedDatabaseIsAFailureNotAnException() throws Exception {
    // A write-behind delay longer than the test, so that only the calls below touch the lock.
    try (DiskStore store = DiskStore.open(dir, opts().writeBehind(Duration.ofMinutes(1))
        .busyTimeout(Duration.ofMillis(100)).build())) {
      byte[] v = frame("v");
      store.put(NS, "k", v, 0, List.of());
      store.flush();
      try (Connection c = jdbc(); Statement s = c.createStatement()) {
        s.execute("BEGIN EXCLUSIVE");
        // Journaled, then dropped when the database stays locked past the busy timeout.
        store.put(NS, "k2", frame("w"), 0, List.of());
        assertThat(store.remove(NS, "k")).isFalse();
        assertThat(store.removeTag("t")).isZero();
        assertThat(store.get(NS, "k")).isEqualTo(v); // WAL readers are not blocked
        s.execute("ROLLBACK");
      }
      assertThat(store.get(NS, "k2")).isNull();
      assertThat(store.stats().failures()).isEqualTo(3);
      store.put(NS, "k2", frame("w"), 0, List.of()); // recovers
      assertThat(store.get(NS, "k2")).isNotNull();
    }
  }

  @Test
  void anIoErrorIsAFailureNotAnExceptionAndKeepsTheEntry() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      byte[] large = frame(5000, 1);
      store.put(NS, "old", large, 0, List.of());
      Path files = dir.resolve(DiskStore.FILES_DIR);
      Path moved = dir.resolve("files-away");
      Files.move(files, moved);
      Files.writeString(files, "not a directory"); // every side-file read and write now fails
      store.put(NS, "new", frame(5000, 2), 0, List.of()); // dropped
      assertThat(store.get(NS, "old")).isNull(); // unreadable now, but not declared corrupt
      store.put(NS, "small", frame("s"), 0, List.of()); // inline values still work
      assertThat(store.get(NS, "small")).isNotNull();
      StoreStats stats = store.stats();
      assertThat(stats.failures()).isEqualTo(2);
      assertThat(stats.corruptions()).isZero();
      assertThat(stats.entries()).isEqualTo(2);
      Files.delete(files);
      Files.move(moved, files);
      assertThat(store.get(NS, "old")).isEqualTo(large); // back once the disk is
      assertThat(store.get(NS, "new")).isNull();
    }
  }

  @Test
  void programmingErrorsStillThrow() {
    DiskStore store = DiskStore.open(dir);
    assertThatThrownBy(() -> store.get(null, "d")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.put(NS, "d", frame("x"), -1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    store.close();
    store.close(); // idempotent
    assertThatThrownBy(() -> store.get(NS, "d")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void oneStoreSharedByThreadsReturnsOnlyRightValues() throws Exception {
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (DiskStore store = DiskStore.open(dir, opts().maximumBytes(200_000)
        .eviction(EvictionMode.LRU).accessFlush(16, Duration.ofMillis(5)).build())) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        futures.add(pool.submit(() -> {
          java.util.Random random = new java.util.Random(seed);
          for (int i = 0; i < 400; i++) {
            int k = random.nextInt(50);
            byte[] expected = frame(k * 97, k); // one right value per key; some side files
            switch (random.nextInt(6)) {
              case 0:
                store.remove(NS, "k" + k);
                break;
              case 1:
              case 2:
                store.put(NS, "k" + k, expected, 0, List.of("t" + k % 3));
                break;
              default:
                byte[] got = store.get(NS, "k" + k);
                if (got != null) {
                  assertThat(got).isEqualTo(expected);
                }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      StoreStats stats = store.stats();
      assertThat(stats.failures()).isZero();
      assertThat(stats.corruptions()).isZero();
      assertThat(stats.bytes()).isLessThanOrEqualTo(200_000);
      assertThat(sideFiles()).isLessThanOrEqualTo(stats.entries());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void manyStoresOpeningOneNewDirectoryAtOnceAgree() throws Exception {
    int n = 6;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch start = new CountDownLatch(1);
    Path shared = dir.resolve("shared");
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        int id = t;
        futures.add(pool.submit(() -> {
          start.await();
          try (DiskStore store = DiskStore.open(shared, opts().build())) {
            for (int i = 0; i < 20; i++) {
              store.put(NS, id + ":" + i, frame(id * 1000 + i, id), 0, List.of());
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    try (DiskStore store = DiskStore.open(shared, opts().build())) {
      for (int t = 0; t < n; t++) {
        for (int i = 0; i < 20; i++) {
          assertThat(store.get(NS, t + ":" + i)).isEqualTo(frame(t * 1000 + i, t));
        }
      }
      assertThat(store.stats().entries()).isEqualTo(n * 20L);
      assertThat(store.stats().failures()).isZero();
    }
  }
}
