package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pooled read connections must never serve a read older than a completed write of another
 * store, nor hold back the WAL behind readers, idle or never pausing. Any saving on the read
 * path that keeps a read transaction across gets has to keep these true. The in-memory
 * {@link ReadCache} is held to the same rule with no staleness allowed, and to its bound with
 * the default.
 */
class DiskStoreReadVisibilityTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  private DiskStore open() {
    // Write-behind off: each put commits before it returns, with no journal in between; a
    // read served from memory first reads every change committed before it.
    return DiskStore.open(dir, DiskStoreOptions.builder().writeBehind(Duration.ZERO)
        .readCache(8 << 20, Duration.ZERO).build());
  }

  @Test
  void aReaderSeesEveryWriteOfAnotherStoreAsSoonAsItCommits() {
    try (DiskStore reader = open(); DiskStore writer = open()) {
      seesEveryWrite(reader, writer, Duration.ZERO);
    }
  }

  @Test
  void withTheDefaultReadCacheAReaderSeesEveryWriteWithinItsStalenessBound() {
    DiskStoreOptions defaults = DiskStoreOptions.defaults();
    try (DiskStore reader = DiskStore.open(dir, defaults); DiskStore writer = open()) {
      // Twice the bound: a read that long after the commit must see it.
      seesEveryWrite(reader, writer, defaults.readCacheStaleness().multipliedBy(2));
    }
  }

  private static void seesEveryWrite(DiskStore reader, DiskStore writer, Duration settle) {
    for (int i = 0; i < 200; i++) {
      String key = "k" + i;
      byte[] value = frame("value " + i);
      assertThat(reader.get(NS, key)).isNull(); // leaves a warm connection in the pool
      writer.put(NS, key, value, 0, List.of());
      writer.flush();
      pause(settle);
      assertThat(reader.get(NS, key)).as("read after put %d", i).isEqualTo(value);
      assertThat(reader.get(NS, key)).as("cached read after put %d", i).isEqualTo(value);
      byte[] replaced = frame("replaced " + i);
      writer.put(NS, key, replaced, 0, List.of());
      writer.flush();
      pause(settle);
      assertThat(reader.get(NS, key)).as("read after replace %d", i).isEqualTo(replaced);
    }
    writer.remove(NS, "k7");
    writer.flush();
    pause(settle);
    assertThat(reader.get(NS, "k7")).isNull();
    assertThat(reader.get(NS, "k8")).isNotNull();
    writer.clear();
    writer.flush();
    pause(settle);
    assertThat(reader.get(NS, "k8")).isNull();
  }

  private static void pause(Duration d) {
    if (d.isZero()) {
      return;
    }
    long until = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }

  @Test
  void readersOnManyThreadsSeeAWriteOnceItHasCommitted() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (DiskStore reader = open(); DiskStore writer = open()) {
      for (int round = 0; round < 50; round++) {
        String key = "r" + round;
        // Every pooled connection has read before the write.
        List<Future<byte[]>> before = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          before.add(pool.submit(() -> reader.get(NS, key)));
        }
        for (Future<byte[]> f : before) {
          assertThat(f.get()).isNull();
        }
        byte[] value = frame(100, round);
        writer.put(NS, key, value, 0, List.of());
        writer.flush();
        List<Future<byte[]>> after = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          after.add(pool.submit(() -> reader.get(NS, key)));
        }
        for (Future<byte[]> f : after) {
          assertThat(f.get()).as("round %d", round).isEqualTo(value);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anIdleReaderDoesNotPinTheWal() throws Exception {
    try (DiskStore reader = open(); DiskStore writer = open()) {
      writer.put(NS, "seed", frame("seed"), 0, List.of());
      writer.flush();
      assertThat(reader.get(NS, "seed")).isNotNull(); // then the reader sits idle in the pool
      // 48 MB of writes: had the idle reader kept a read transaction open, no checkpoint could
      // move past it and the WAL would hold all of them.
      for (int i = 0; i < 24_000; i++) {
        writer.put(NS, "w" + (i % 2000), frame(2000, i), 0, List.of());
        if (i % 200 == 199) {
          writer.flush();
        }
      }
      writer.flush();
      long walBytes = Files.size(dir.resolve(DiskStore.DB_FILE + "-wal"));
      assertThat(walBytes).as("WAL size").isLessThan(24L << 20);
      assertThat(reader.get(NS, "w1999")).isEqualTo(frame(2000, 23_999));
    }
  }

  @Test
  void readersThatNeverPauseDoNotPinTheWal() throws Exception {
    try (DiskStore reader = open(); DiskStore writer = open()) {
      writer.put(NS, "seed", frame("seed"), 0, List.of());
      writer.flush();
      AtomicBoolean writing = new AtomicBoolean(true);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<Long>> readers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          readers.add(pool.submit(() -> {
            long reads = 0;
            // A read is always in progress here: the WAL can only restart if readers stop
            // depending on it once a checkpoint has copied it all.
            while (writing.get()) {
              assertThat(reader.get(NS, "seed")).isNotNull();
              reads++;
            }
            return reads;
          }));
        }
        for (int i = 0; i < 24_000; i++) {
          writer.put(NS, "w" + (i % 2000), frame(2000, i), 0, List.of());
          if (i % 200 == 199) {
            writer.flush();
          }
        }
        writer.flush();
        writing.set(false);
        for (Future<Long> f : readers) {
          assertThat(f.get()).isPositive();
        }
      } finally {
        writing.set(false);
        pool.shutdownNow();
      }
      long walBytes = Files.size(dir.resolve(DiskStore.DB_FILE + "-wal"));
      assertThat(walBytes).as("WAL size").isLessThan(24L << 20);
    }
  }
}
