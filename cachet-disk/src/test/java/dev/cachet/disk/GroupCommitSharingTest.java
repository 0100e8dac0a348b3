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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a group commit owes each write that shares it: a write SQLite refuses fails alone while
 * the others of its transaction are stored, and the work the store schedules in the background
 * (journaled puts, buffered reads) is scheduled again every time, not only the first.
 */
class GroupCommitSharingTest {
  private static final String NS = "fn:1:code:type";
  private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

  @TempDir
  Path dir;

  private Connection jdbc() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
  }

  /** Bounded polling: true once {@code condition} holds, false when the deadline passed. */
  private static boolean await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(2);
    }
    return true;
  }

  private static Thread start(String name, Map<String, Throwable> errors, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        errors.put(name, e);
      }
    }, name);
    t.start();
    return t;
  }

  /**
   * Every thread parked on the writer's monitor: each has queued its operation (the queue comes
   * before the monitor), so the next group commit takes them all in one transaction.
   */
  private static boolean allBlocked(List<Thread> threads) {
    return threads.stream().allMatch(t -> t.getState() == Thread.State.BLOCKED);
  }

  @Test
  void aWriteSqliteRefusesFailsAloneAndTheWritesSharingItsTransactionAreStored() throws Exception {
    Map<String, Throwable> errors = new ConcurrentHashMap<>();
    // No journal: every put is a group-commit operation of its own thread.
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).busyTimeout(Duration.ofMinutes(2)).build())) {
      store.put(NS, "victim", frame("victim"), 0, List.of());
      boolean[] removed = new boolean[1];
      List<Thread> all = new ArrayList<>();
      try (Connection c = jdbc(); Statement s = c.createStatement()) {
        // What SQLite refuses for one key only, as a constraint or a full table would.
        s.execute("CREATE TRIGGER refuse BEFORE INSERT ON entries WHEN NEW.digest = 'refused' "
            + "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        // Holds the write lock, so that the first group commit waits inside the monitor while
        // the other writers queue behind it.
        s.execute("BEGIN IMMEDIATE");
        List<Thread> leaders = List.of(
            start("lead", errors, () -> store.put(NS, "lead", frame("lead"), 0, List.of())),
            start("lead2", errors, () -> store.put(NS, "lead2", frame("lead2"), 0, List.of())));
        all.addAll(leaders);
        assertThat(await(() -> leaders.stream().anyMatch(t -> t.getState() == Thread.State.BLOCKED)))
            .as("one writer holds the monitor, waiting for the lock").isTrue();
        List<Thread> followers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          String key = "w" + i;
          followers.add(start(key, errors, () -> store.put(NS, key, frame(key), 0, List.of())));
        }
        followers.add(start("refused", errors,
            () -> store.put(NS, "refused", frame("refused"), 0, List.of())));
        followers.add(start("remove", errors, () -> removed[0] = store.remove(NS, "victim")));
        all.addAll(followers);
        assertThat(await(() -> allBlocked(followers))).as("every follower queued").isTrue();
        s.execute("ROLLBACK");
      }
      for (Thread t : all) {
        t.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(t.isAlive()).as(t.getName()).isFalse();
      }
      assertThat(errors).as("a refused write is counted, not thrown").isEmpty();
      for (String key : List.of("lead", "lead2", "w0", "w1", "w2", "w3")) {
        assertThat(store.get(NS, key)).as(key).isEqualTo(frame(key));
      }
      assertThat(store.get(NS, "refused")).isNull();
      assertThat(removed[0]).as("the removal in the same transaction").isTrue();
      assertThat(store.get(NS, "victim")).isNull();
      assertThat(store.stats().failures()).as("only the refused write failed").isEqualTo(1);
      assertThat(store.stats().entries()).isEqualTo(6);
    }
  }

  private long rowsOf(String digest) {
    try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FROM entries WHERE digest = ?")) {
      ps.setString(1, digest);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private long storedCounter(String name) {
    try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(
        "SELECT value FROM counters WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void putsJournaledAfterABackgroundApplicationReachTheDatabaseInTheBackgroundToo()
      throws Exception {
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ofMillis(5)).build())) {
      for (int round = 0; round < 3; round++) {
        String key = "k" + round;
        store.put(NS, key, frame(key), 0, List.of());
        // Seen by another connection, as another process would: no call on the store applies it.
        assertThat(await(() -> rowsOf(key) == 1)).as("%s applied without a call", key).isTrue();
      }
    }
  }

  @Test
  void bufferedReadsAreWrittenInTheBackgroundEveryTimeTheyAreDue() throws Exception {
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).accessFlush(4, Duration.ofHours(1)).build())) {
      store.put(NS, "k", frame("k"), 0, List.of());
      for (int round = 1; round <= 3; round++) {
        for (int i = 0; i < 4; i++) {
          assertThat(store.get(NS, "k")).isEqualTo(frame("k"));
        }
        long expected = 4L * round;
        assertThat(await(() -> storedCounter("hits") >= expected))
            .as("round %d's reads written without a call", round).isTrue();
        assertThat(storedCounter("hits")).isEqualTo(expected);
      }
    }
  }
}
