package dev.cachet.disk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Programs that the process-sharing tests run in child JVMs ({@link ChildJvm}). Values are
 * {@link ChildWriter#value}s, so any process can tell a right value from a wrong one.
 *
 * <p>Modes (first argument):
 * <ul>
 *   <li>{@code write dir prefix seed}: puts, removes and gets random keys of {@code prefix}
 *       and commits every few operations ({@link DiskStore#flush}), printing {@code ready},
 *       then {@code progress N} about four times a second, until a {@code stop} line (or the
 *       end of standard input); then closes the store, prints {@code stopped ...} and exits 0
 *       only if every value it read was right and no operation failed.
 *   <li>{@code open-close dir prefix cycles seed}: that many times, opens the store, reads a
 *       few keys of {@code prefix} (checking each value found) and closes it, printing
 *       {@code cycle i} each time and {@code done cycles=N wrong=W} at the end; exits 0 only
 *       if every value was right.
 *   <li>{@code journal dir prefix count}: opens the store with a write-behind of a minute
 *       (the most allowed), puts {@code count} keys (so they sit in this process's journal
 *       only), prints {@code journaled} and waits for the end of standard input, to be
 *       killed meanwhile.
 *   <li>{@code trylock file...}: tries to lock each file in turn and prints
 *       {@code refused file} (another process holds a lock on it) or {@code granted file},
 *       then {@code done}.
 *   <li>{@code versions dir key count}: puts versions 1 to {@code count} of {@code key}
 *       (frames holding the number), each committed before the next, printing {@code ready}
 *       first and {@code done N} once the last has committed and the store is closed.
 *   <li>{@code damaged-open dir key}: prints {@code armed} once the SQLite driver is loaded,
 *       waits for a {@code go} line, opens the store, puts {@code key}, reads it back, closes,
 *       and prints {@code ok} if it read what it put.
 * </ul>
 */
public final class StoreChild {
  private StoreChild() {
  }

  /**
   * Runs one mode.
   *
   * @param args the mode and its arguments
   */
  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "write" -> write(Path.of(args[1]), args[2], Long.parseLong(args[3]));
      case "open-close" -> openClose(Path.of(args[1]), args[2], Integer.parseInt(args[3]),
          Long.parseLong(args[4]));
      case "journal" -> journal(Path.of(args[1]), args[2], Integer.parseInt(args[3]));
      case "versions" -> versions(Path.of(args[1]), args[2], Integer.parseInt(args[3]));
      case "trylock" -> {
        for (int i = 1; i < args.length; i++) {
          tryLock(Path.of(args[i]));
        }
        System.out.println("done");
      }
      case "damaged-open" -> damagedOpen(Path.of(args[1]), args[2]);
      default -> throw new IllegalArgumentException("Unknown mode " + args[0]);
    }
  }

  private static void write(Path dir, String prefix, long seed) {
    AtomicBoolean stop = new AtomicBoolean();
    Thread watcher = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null && !line.equals("stop")) {
          // waits for "stop"; the end of input (the parent died) stops too
        }
      } catch (IOException e) {
        // stops as at the end of input
      }
      stop.set(true);
    }, "stop-watcher");
    watcher.setDaemon(true);
    watcher.start();
    Random random = new Random(seed);
    long ops = 0;
    long wrong = 0;
    long failures;
    long corruptions;
    try (DiskStore store = DiskStore.open(dir, ChildWriter.options())) {
      System.out.println("ready");
      long lastReport = System.nanoTime();
      while (!stop.get()) {
        String key = prefix + random.nextInt(ChildWriter.KEYS);
        int op = random.nextInt(20);
        if (op == 0) {
          store.remove(ChildWriter.NS, key);
        } else if (op <= 4) {
          byte[] frame = store.get(ChildWriter.NS, key);
          if (frame != null && !ChildWriter.isRight(key, frame)) {
            wrong++;
            System.out.println("wrong value for " + key);
          }
        } else {
          long version = random.nextInt(1_000_000);
          store.put(ChildWriter.NS, key, ChildWriter.value(key, version), 0,
              List.of("t" + (version % 5)));
        }
        ops++;
        if (ops % 8 == 0) {
          // Commits now rather than after the write-behind delay: SQLite writes the WAL and
          // its index all the time, as under a heavy load.
          store.flush();
        }
        if (System.nanoTime() - lastReport > 250_000_000L) {
          lastReport = System.nanoTime();
          System.out.println("progress " + ops);
        }
      }
      failures = store.stats().failures();
      corruptions = store.stats().corruptions();
    }
    System.out.println("stopped ops=" + ops + " wrong=" + wrong + " failures=" + failures
        + " corruptions=" + corruptions);
    System.exit(wrong == 0 && failures == 0 && corruptions == 0 ? 0 : 3);
  }

  private static void openClose(Path dir, String prefix, int cycles, long seed) {
    Random random = new Random(seed);
    long wrong = 0;
    long found = 0;
    for (int i = 0; i < cycles; i++) {
      try (DiskStore store = DiskStore.open(dir, ChildWriter.options())) {
        for (int g = 0; g < 5; g++) {
          String key = prefix + random.nextInt(ChildWriter.KEYS);
          byte[] frame = store.get(ChildWriter.NS, key);
          if (frame != null) {
            found++;
            if (!ChildWriter.isRight(key, frame)) {
              wrong++;
              System.out.println("wrong value for " + key);
            }
          }
        }
      }
      System.out.println("cycle " + i);
    }
    System.out.println("done cycles=" + cycles + " found=" + found + " wrong=" + wrong);
    System.exit(wrong == 0 ? 0 : 3);
  }

  private static void versions(Path dir, String key, int count) {
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .writeBehind(Duration.ZERO).build())) {
      System.out.println("ready");
      for (int v = 1; v <= count; v++) {
        store.put(ChildWriter.NS, key, Frames.frame(Integer.toString(v)), 0, List.of());
      }
    }
    System.out.println("done " + count);
    System.exit(0);
  }

  private static void journal(Path dir, String prefix, int count) throws IOException {
    DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .sideFileThreshold(ChildWriter.THRESHOLD).writeBehind(Duration.ofMinutes(1)).build());
    for (int i = 0; i < count; i++) {
      // Versions 4k+1 are small frames: journaled, not written to the database.
      store.put(ChildWriter.NS, prefix + i, ChildWriter.value(prefix + i, 4L * i + 1), 0,
          List.of());
    }
    System.out.println("journaled");
    System.out.flush();
    while (System.in.read() >= 0) {
      // killed while waiting here
    }
    Runtime.getRuntime().halt(0); // no shutdown hook: the journal stays unapplied
  }

  private static void tryLock(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      System.out.println((lock == null ? "refused " : "granted ") + file);
    }
  }

  private static void damagedOpen(Path dir, String key) throws Exception {
    // Loads the driver and its native library first, so both children open at nearly the
    // same moment after "go".
    Class.forName("org.sqlite.JDBC");
    org.sqlite.SQLiteJDBCLoader.initialize();
    System.out.println("armed");
    System.out.flush();
    BufferedReader in = new BufferedReader(
        new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("go")) {
      // waits for "go"
    }
    byte[] value = ChildWriter.value(key, 5);
    boolean same;
    long failures;
    try (DiskStore store = DiskStore.open(dir, ChildWriter.options())) {
      store.put(ChildWriter.NS, key, value, 0, List.of());
      store.flush();
      same = java.util.Arrays.equals(value, store.get(ChildWriter.NS, key));
      failures = store.stats().failures();
    }
    System.out.println(same && failures == 0 ? "ok" : "read back wrong: same=" + same
        + " failures=" + failures);
    System.exit(same && failures == 0 ? 0 : 3);
  }
}
