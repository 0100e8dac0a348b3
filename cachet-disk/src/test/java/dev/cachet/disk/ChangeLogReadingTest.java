package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the read connections read the change log that keeps every process's read cache
 * coherent ({@link ReaderPool#changesSince}): the ids in the order they changed, and "not
 * complete" (forget everything cached) whenever a change may be missing: an unknown starting
 * point, more changes than asked for, or a gap left by pruning. A read cache that took an
 * incomplete answer for a complete one would serve a replaced value.
 */
class ChangeLogReadingTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private Connection jdbc() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(DiskStore.DB_FILE));
  }

  /** The log as the database holds it: {seq, id} in order. */
  private List<long[]> log() throws Exception {
    List<long[]> rows = new ArrayList<>();
    try (Connection c = jdbc(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT seq, id FROM changes ORDER BY seq")) {
      while (rs.next()) {
        rows.add(new long[] {rs.getLong(1), rs.getLong(2)});
      }
    }
    return rows;
  }

  private static long[] idsOf(List<long[]> rows) {
    return rows.stream().mapToLong(r -> r[1]).toArray();
  }

  /** A pool on the store's database, with the store closed. */
  private interface PoolUse {
    void run(ReaderPool pool) throws Exception;
  }

  private void withPool(PoolUse use) throws Exception {
    DiskStoreOptions options = DiskStoreOptions.defaults();
    try (Connection w = jdbc()) {
      WriterConnection writer = new WriterConnection(w);
      ReaderPool pool = new ReaderPool(new StoreContext(dir, options, FileModes.of(options),
          writer, new ReadRecorder(options, writer)));
      try {
        use.run(pool);
      } finally {
        pool.close();
      }
    }
  }

  @Test
  void changesAreReadInOrderAndCompleteOnlyWhenNoneCanBeMissing() throws Exception {
    try (DiskStore store = DiskStore.open(dir)) {
      for (int i = 0; i < 40; i++) { // more than the 16 ids a read starts with
        store.put(NS, "k" + i, frame("v" + i), 0, List.of());
        store.flush();
      }
    }
    List<long[]> log = log();
    assertThat(log).hasSize(40);
    long first = log.get(0)[0];
    long last = log.get(39)[0];
    withPool(pool -> {
      ReaderPool.Changes all = pool.changesSince(first - 1, 100);
      assertThat(all.ids()).containsExactly(idsOf(log));
      assertThat(all.lastSeq()).isEqualTo(last);
      assertThat(all.complete()).isTrue();

      ReaderPool.Changes exactly = pool.changesSince(first - 1, 40);
      assertThat(exactly.ids()).containsExactly(idsOf(log));
      assertThat(exactly.complete()).as("as many as the limit").isTrue();

      ReaderPool.Changes tooMany = pool.changesSince(first - 1, 39);
      assertThat(tooMany.ids()).isEmpty();
      assertThat(tooMany.lastSeq()).as("where the next read starts").isEqualTo(last);
      assertThat(tooMany.complete()).as("one more than the limit").isFalse();

      ReaderPool.Changes tail = pool.changesSince(log.get(29)[0], 10);
      assertThat(tail.ids()).containsExactly(idsOf(log.subList(30, 40)));
      assertThat(tail.lastSeq()).isEqualTo(last);
      assertThat(tail.complete()).isTrue();

      ReaderPool.Changes none = pool.changesSince(last, 10);
      assertThat(none.ids()).isEmpty();
      assertThat(none.lastSeq()).isEqualTo(last);
      assertThat(none.complete()).isTrue();

      ReaderPool.Changes unknown = pool.changesSince(-1, 100);
      assertThat(unknown.ids()).isEmpty();
      assertThat(unknown.lastSeq()).as("the last change, to start from").isEqualTo(last);
      assertThat(unknown.complete()).isFalse();
    });

    // Pruned past where a reader stopped: the first change it would read is gone.
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM changes WHERE seq <= " + log.get(9)[0]);
    }
    withPool(pool -> {
      ReaderPool.Changes pruned = pool.changesSince(log.get(4)[0], 100);
      assertThat(pruned.complete()).isFalse();
      assertThat(pruned.lastSeq()).isEqualTo(last);
    });

    // A gap inside the range read is a missing change too.
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM changes WHERE seq = " + log.get(20)[0]);
    }
    withPool(pool -> {
      ReaderPool.Changes gap = pool.changesSince(log.get(14)[0], 100);
      assertThat(gap.complete()).isFalse();
      assertThat(gap.lastSeq()).isEqualTo(last);
      ReaderPool.Changes before = pool.changesSince(log.get(14)[0], 4);
      assertThat(before.complete()).as("more than the limit, before the gap").isFalse();
    });
  }

  @Test
  void anEmptyChangeLogStartsFromZero() throws Exception {
    try (DiskStore store = DiskStore.open(dir)) {
      store.flush();
    }
    withPool(pool -> {
      ReaderPool.Changes unknown = pool.changesSince(-1, 100);
      assertThat(unknown.lastSeq()).isZero();
      assertThat(unknown.complete()).isFalse();
      ReaderPool.Changes fromZero = pool.changesSince(0, 100);
      assertThat(fromZero.ids()).isEmpty();
      assertThat(fromZero.lastSeq()).isZero();
      assertThat(fromZero.complete()).isTrue();
    });
  }
}
