package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.codec.EntryFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-memory read cache never serves a frame this process has replaced or removed, and
 * serves another process's older frame for no longer than its staleness bound, whatever the
 * change log lost.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadCacheTest {
  private static final String NS = "fn:1:code:type";
  /** Long enough that only the change log, not time, can make a cached frame go. */
  private static final Duration LONG = Duration.ofSeconds(1);

  @TempDir
  Path dir;

  private DiskStore open(Duration staleness) {
    return DiskStore.open(dir, DiskStoreOptions.builder().readCache(8 << 20, staleness).build());
  }

  private static String text(byte[] frame) {
    return frame == null ? null
        : new String(EntryFrame.decode(frame).payload(), StandardCharsets.UTF_8);
  }

  @Test
  void thisProcessSeesItsOwnWritesAtOnceWhateverTheStaleness() {
    try (DiskStore store = open(LONG)) {
      store.put(NS, "k", frame("one"), 0, List.of("t"));
      store.flush(); // into the database, then read (and cached) from there
      assertThat(text(store.get(NS, "k"))).isEqualTo("one");
      assertThat(text(store.get(NS, "k"))).isEqualTo("one");

      store.put(NS, "k", frame("two"), 0, List.of("t")); // journaled
      assertThat(text(store.get(NS, "k"))).isEqualTo("two");
      store.flush(); // the journal is applied and let go
      assertThat(text(store.get(NS, "k"))).isEqualTo("two");

      store.remove(NS, "k");
      assertThat(store.get(NS, "k")).isNull();

      store.put(NS, "k", frame("three"), 0, List.of("t"));
      store.put(NS, "other", frame("x"), 0, List.of());
      store.flush();
      assertThat(text(store.get(NS, "k"))).isEqualTo("three");
      store.removeTag("t");
      assertThat(store.get(NS, "k")).isNull();
      assertThat(text(store.get(NS, "other"))).isEqualTo("x");
      store.removeNamespace(NS);
      assertThat(store.get(NS, "other")).isNull();

      store.put(NS, "k", frame("four"), 0, List.of());
      store.flush();
      assertThat(text(store.get(NS, "k"))).isEqualTo("four");
      store.clear();
      assertThat(store.get(NS, "k")).isNull();
    }
  }

  @Test
  void aCachedFrameExpiresOnTime() {
    DiskStoreTest.ManualClock clock = new DiskStoreTest.ManualClock();
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder().clock(clock)
        .readCache(8 << 20, LONG).build())) {
      store.put(NS, "k", frame("short-lived"), clock.millis() + 1_000, List.of());
      store.flush();
      assertThat(text(store.get(NS, "k"))).isEqualTo("short-lived"); // cached now
      clock.millis += 1_000;
      assertThat(store.get(NS, "k")).isNull();
    }
  }

  @Test
  void readersOnManyThreadsNeverReadBackAnOlderVersionThanOneAlreadyPut() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<String> wrong = new CopyOnWriteArrayList<>();
    AtomicInteger published = new AtomicInteger();
    AtomicBoolean done = new AtomicBoolean();
    try (DiskStore store = open(LONG)) {
      store.put(NS, "k", frame("0"), 0, List.of());
      store.flush();
      List<Future<?>> readers = new ArrayList<>();
      for (int t = 0; t < 5; t++) {
        readers.add(pool.submit(() -> {
          while (!done.get()) {
            int atLeast = published.get();
            String seen = text(store.get(NS, "k"));
            if (seen == null || Integer.parseInt(seen) < atLeast) {
              wrong.add("read " + seen + " after " + atLeast + " was put");
            }
          }
        }));
      }
      for (int v = 1; v <= 2_000; v++) {
        store.put(NS, "k", frame(Integer.toString(v)), 0, List.of());
        published.set(v);
        if (v % 50 == 0) {
          store.flush(); // journal applied: reads move from the journal to the database
        }
      }
      done.set(true);
      for (Future<?> r : readers) {
        r.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void anotherStoresReplaceAndRemoveAreSeenWithinTheBound() throws Exception {
    Duration bound = Duration.ofMillis(50);
    try (DiskStore reader = open(bound); DiskStore writer = open(bound)) {
      writer.put(NS, "k", frame("old"), 0, List.of());
      writer.flush();
      assertThat(text(reader.get(NS, "k"))).isEqualTo("old"); // cached in the reader

      writer.put(NS, "k", frame("new"), 0, List.of());
      writer.flush();
      long committed = System.nanoTime();
      String seen;
      while ("old".equals(seen = text(reader.get(NS, "k")))) {
        assertThat(Duration.ofNanos(System.nanoTime() - committed))
            .as("the old frame outlived the staleness bound").isLessThan(bound.multipliedBy(2));
      }
      assertThat(seen).isEqualTo("new");

      writer.remove(NS, "k");
      committed = System.nanoTime();
      while (reader.get(NS, "k") != null) {
        assertThat(Duration.ofNanos(System.nanoTime() - committed))
            .as("the removed frame outlived the staleness bound")
            .isLessThan(bound.multipliedBy(2));
      }
    }
  }

  @Test
  void anotherProcessesVersionsAreReadInOrderAndTheLastOneWithinTheBound(@TempDir Path work)
      throws Exception {
    Duration bound = DiskStoreOptions.defaults().readCacheStaleness();
    int count = 3_000;
    List<String> wrong = new ArrayList<>();
    try (DiskStore reader = DiskStore.open(dir);
        ChildJvm writer = ChildJvm.start(work, "versions", StoreChild.class, "versions",
            dir.toString(), "k", Integer.toString(count))) {
      writer.awaitLine("ready"::equals, Duration.ofSeconds(60));
      int last = 0;
      int reads = 0;
      while (writer.isAlive() || reads == 0) {
        String seen = text(reader.get(ChildWriter.NS, "k"));
        int v = seen == null ? 0 : Integer.parseInt(seen);
        if (v < last) {
          wrong.add("read version " + v + " after " + last);
        }
        last = Math.max(last, v);
        reads++;
      }
      writer.awaitLine(l -> l.startsWith("done"), Duration.ofSeconds(60));
      Thread.sleep(bound.multipliedBy(2).toMillis() + 1);
      assertThat(text(reader.get(ChildWriter.NS, "k"))).as("the last version, " + reads
          + " reads later").isEqualTo(Integer.toString(count));
    }
    assertThat(wrong).as("versions never go back").isEmpty();
  }

  @Test
  void aChangeLogPrunedPastWhatAReaderSawDropsItsWholeCache() throws Exception {
    Duration bound = Duration.ofMillis(20);
    try (DiskStore reader = open(bound); DiskStore writer = open(bound)) {
      writer.put(NS, "k", frame("old"), 0, List.of());
      writer.flush();
      assertThat(text(reader.get(NS, "k"))).isEqualTo("old");
      Thread.sleep(bound.toMillis() * 2);
      assertThat(text(reader.get(NS, "k"))).isEqualTo("old"); // synced: saw the put

      writer.put(NS, "k", frame("new"), 0, List.of());
      writer.put(NS, "unrelated", frame("x"), 0, List.of());
      writer.flush();
      // As if pruned while the reader looked away: only the last change, of another key, is
      // left, and the reader must not take it for all that happened.
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cachet.db"));
          Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM changes WHERE seq < (SELECT max(seq) FROM changes)");
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM changes")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isEqualTo(1);
        }
      }
      Thread.sleep(bound.toMillis() * 2);

      assertThat(text(reader.get(NS, "k"))).isEqualTo("new");
    }
  }

  @Test
  void everyChangeThatAReadCanSeeIsLoggedAndAccessUpdatesAreNot() throws Exception {
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .eviction(EvictionMode.LRU).maximumBytes(1 << 30).build())) {
      long before = lastChange();
      store.put(NS, "k", frame("v"), 0, List.of());
      store.flush();
      assertThat(lastChange()).as("insert").isEqualTo(before + 1);
      for (int i = 0; i < 10; i++) {
        store.get(NS, "k");
      }
      store.flush(); // writes the access times
      assertThat(lastChange()).as("access times are not changes").isEqualTo(before + 1);
      store.put(NS, "k", frame("w"), 0, List.of());
      store.flush();
      assertThat(lastChange()).as("replace").isEqualTo(before + 2);
      store.remove(NS, "k");
      assertThat(lastChange()).as("remove").isEqualTo(before + 3);
    }
  }

  private long lastChange() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cachet.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(seq), 0) FROM changes")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void withoutAReadCacheEveryReadGoesToTheDatabase() {
    try (DiskStore reader = DiskStore.open(dir, DiskStoreOptions.builder()
        .readCache(0, Duration.ZERO).writeBehind(Duration.ZERO).build());
        DiskStore writer = DiskStore.open(dir, DiskStoreOptions.builder()
            .writeBehind(Duration.ZERO).build())) {
      writer.put(NS, "k", frame("old"), 0, List.of());
      assertThat(text(reader.get(NS, "k"))).isEqualTo("old");
      writer.put(NS, "k", frame("new"), 0, List.of());
      assertThat(text(reader.get(NS, "k"))).isEqualTo("new");
    }
  }

  @Test
  void badSettingsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> DiskStoreOptions.builder().readCache(-1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 (off) or more");
    assertThatThrownBy(() -> DiskStoreOptions.builder().readCache(1, Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between zero and one second");
  }
}
