package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static dev.cachet.disk.WriteJournalTest.frameOfLength;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's boundaries, each at the exact value and one step beyond: the side-file
 * threshold, the millisecond an entry expires (read from the journal, the database or the
 * read cache), a put whose expiry is now, and entries of a newer frame format.
 */
class DiskStoreBoundariesTest {
  private static final String NS = "fn:1:code:type";
  private static final Duration LONG = Duration.ofMinutes(1);
  private static final int THRESHOLD = 1024;

  @TempDir
  Path dir;

  private final DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();

  private DiskStoreOptions.Builder opts() {
    return DiskStoreOptions.builder().sideFileThreshold(THRESHOLD).clock(clock);
  }

  private long sideFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve(DiskStore.FILES_DIR))) {
      return files.count();
    }
  }

  private Connection jdbc() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
  }

  private long rows() throws Exception {
    try (Connection c = jdbc(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT count(*) FROM entries")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aFrameOfExactlyTheSideFileThresholdStaysInTheDatabaseAndOneByteMoreGoesToAFile()
      throws Exception {
    byte[] at = frameOfLength(THRESHOLD, 1);
    byte[] beyond = frameOfLength(THRESHOLD + 1, 2);
    try (DiskStore writer = DiskStore.open(dir, opts().writeBehind(LONG).build());
        DiskStore other = DiskStore.open(dir, opts().writeBehind(LONG).build())) {
      writer.put(NS, "at", at, 0, List.of());
      assertThat(other.get(NS, "at")).as("journaled: not yet in the database").isNull();
      writer.put(NS, "beyond", beyond, 0, List.of());
      assertThat(other.get(NS, "beyond")).as("a side file is written directly")
          .isEqualTo(beyond);
      assertThat(sideFiles()).isEqualTo(1);
      writer.flush();
      assertThat(other.get(NS, "at")).isEqualTo(at);
      assertThat(sideFiles()).as("the threshold's frame is inline").isEqualTo(1);
    }
    try (DiskStore direct = DiskStore.open(dir, opts().writeBehind(Duration.ZERO).build())) {
      direct.put(NS, "at2", frameOfLength(THRESHOLD, 3), 0, List.of());
      assertThat(sideFiles()).isEqualTo(1);
      direct.put(NS, "beyond2", frameOfLength(THRESHOLD + 1, 4), 0, List.of());
      assertThat(sideFiles()).isEqualTo(2);
      assertThat(direct.get(NS, "at2")).isEqualTo(frameOfLength(THRESHOLD, 3));
      assertThat(direct.get(NS, "beyond2")).isEqualTo(frameOfLength(THRESHOLD + 1, 4));
    }
  }

  @Test
  void anEntryIsReadUntilTheMillisecondItExpiresWhereverItIsRead() {
    record Case(String name, Duration writeBehind, long readCacheBytes, boolean flushFirst) {
    }
    List<Case> cases = List.of(
        new Case("journal", LONG, 0, false),
        new Case("database", Duration.ZERO, 0, false),
        new Case("database, journal applied", LONG, 0, true),
        new Case("read cache", Duration.ZERO, 1 << 20, false));
    for (Case c : cases) {
      Path sub = dir.resolve(c.name().replace(' ', '-').replace(",", ""));
      try (DiskStore store = DiskStore.open(sub, opts().writeBehind(c.writeBehind())
          .readCache(c.readCacheBytes(), Duration.ZERO).build())) {
        long expires = clock.millis + 1000;
        store.put(NS, "k", frame("v"), expires, List.of());
        if (c.flushFirst()) {
          store.flush();
        }
        assertThat(store.get(NS, "k")).as(c.name() + ": long before").isNotNull();
        clock.millis = expires - 1;
        assertThat(store.get(NS, "k")).as(c.name() + ": the last millisecond").isNotNull();
        clock.millis = expires;
        assertThat(store.get(NS, "k")).as(c.name() + ": at the expiry").isNull();
        assertThat(store.stats().expirations()).as(c.name()).isEqualTo(1);
        assertThat(store.stats().hits()).as(c.name()).isEqualTo(2);
        assertThat(store.stats().misses()).as(c.name()).isEqualTo(1);
        assertThat(store.stats().entries()).as(c.name()).isZero();
      }
      clock.millis = 1_700_000_000_000L;
    }
  }

  @Test
  void aPutThatExpiresNowRemovesTheOldValueAndOneExpiringAMillisecondLaterIsStored() {
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      store.put(NS, "k", frame("old"), 0, List.of());
      store.put(NS, "k", frame("dead on arrival"), clock.millis, List.of());
      assertThat(store.get(NS, "k")).isNull();
      assertThat(store.stats().entries()).isZero();
      assertThat(store.stats().expirations()).as("never stored, so never expired").isZero();
      store.put(NS, "k", frame("brief"), clock.millis + 1, List.of());
      assertThat(store.get(NS, "k")).isEqualTo(frame("brief"));
      store.put(NS, "never", frame("kept"), 0, List.of());
      clock.millis += Duration.ofDays(3650).toMillis();
      assertThat(store.get(NS, "never")).as("0 is never").isEqualTo(frame("kept"));
      assertThatThrownBy(() -> store.put(NS, "k", frame("x"), -1, List.of()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }
  }

  @Test
  void anEntryOfANewerFrameFormatIsAMissLeftForTheProcessesThatReadIt() throws Exception {
    StoreWarnings warnings = new StoreWarnings();
    warnings.start();
    try (DiskStore store = DiskStore.open(dir, opts().build())) {
      byte[] newer = frame("from the future");
      store.put(NS, "k", newer, 0, List.of());
      store.flush();
      newer[4] = (byte) (dev.cachet.codec.EntryFrame.FORMAT_VERSION + 1);
      try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(
          "UPDATE entries SET value = ? WHERE digest = ?")) {
        ps.setBytes(1, newer);
        ps.setString(2, "k");
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      assertThat(store.get(NS, "k")).isNull();
      assertThat(store.get(NS, "k")).isNull();
      store.flush();
      assertThat(store.stats().corruptions()).as("not damage").isZero();
      assertThat(store.stats().misses()).isEqualTo(2);
      assertThat(store.stats().entries()).isEqualTo(1);
      assertThat(rows()).as("left in place").isEqualTo(1);
      assertThat(warnings.messages()).filteredOn(m -> m.contains("newer Cachet")).hasSize(1);
    } finally {
      warnings.stop();
    }
  }

  @Test
  void aStoreNamesItsDirectoryAndSettings() {
    try (DiskStore store = DiskStore.open(dir.resolve("a/../b"), opts().build())) {
      Path abs = dir.resolve("b").toAbsolutePath();
      assertThat(store.directory()).isEqualTo(abs);
      assertThat(store.describe()).isEqualTo("disk:" + abs);
      assertThat(store.toString()).startsWith("DiskStore[" + abs + ", ")
          .contains("sideFileThreshold=" + THRESHOLD);
    }
  }

  @Test
  void removeAllCountsJournaledAndStoredEntriesAndEmptiesTheStore() throws Exception {
    try (DiskStore store = DiskStore.open(dir, opts().writeBehind(LONG).build())) {
      store.put(NS, "stored", frame("s"), 0, List.of());
      store.flush();
      store.put(NS, "journaled", frame("j"), 0, List.of());
      store.put(NS, "large", frameOfLength(THRESHOLD + 1, 5), 0, List.of());
      assertThat(store.removeAll()).isEqualTo(3);
      assertThat(store.get(NS, "journaled")).isNull();
      assertThat(store.get(NS, "stored")).isNull();
      assertThat(sideFiles()).isZero();
      assertThat(store.removeAll()).isZero();
    }
  }

  @Test
  void aClosedStoreRefusesALargePutBeforeWritingItsSideFile() throws Exception {
    DiskStore store = DiskStore.open(dir, opts().build());
    store.close();
    assertThatThrownBy(() -> store.put(NS, "k", frameOfLength(THRESHOLD + 1, 1), 0, List.of()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(sideFiles()).isZero();
  }

  @Test
  void closingAStoreTwiceKeepsTheDirectorysLockForTheOtherStoresOpenOnIt() throws Exception {
    org.assertj.core.api.Assumptions.assumeThat(ProcLocks.readable()).isTrue();
    Path lockFile = dir.resolve(StoreLock.FILE);
    long pid = ProcessHandle.current().pid();
    try (DiskStore other = DiskStore.open(dir, opts().build())) {
      DiskStore store = DiskStore.open(dir, opts().build());
      store.close();
      store.close();
      assertThat(ProcLocks.posixLocks(pid, lockFile)).as("still held for the other store")
          .isNotEmpty();
      other.put(NS, "k", frame("v"), 0, List.of());
      assertThat(other.get(NS, "k")).isEqualTo(frame("v"));
    }
    assertThat(ProcLocks.posixLocks(pid, lockFile)).as("released with the last store").isEmpty();
  }
}
