package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's lock file seen from another process: an open waits while another process holds
 * it exclusively (repairing the store), and a damaged database is moved aside only once no
 * other process has the store open, not while one has.
 *
 * <p>The other process is a few lines of Python holding a POSIX ({@code fcntl}) lock, the kind
 * Java's file locks are on Linux and macOS: a lock only another process can hold, and one that
 * starts in milliseconds, so these tests run under PIT too (the mutated code is this JVM's
 * {@link StoreLock}, not the other process).
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class StoreLockAcrossProcessesTest {
  private static final String NS = "fn:1:code:type";
  private static final String HOLDER = String.join("\n",
      "import fcntl, sys",
      "f = open(sys.argv[1], 'r+')",
      "fcntl.lockf(f, fcntl.LOCK_EX if sys.argv[2] == 'exclusive' else fcntl.LOCK_SH)",
      "print('locked', flush=True)",
      "sys.stdin.read()");

  @TempDir
  Path dir;

  /** Another process holding the lock file until {@link #close}. */
  private static final class LockHolder implements AutoCloseable {
    private final Process process;

    LockHolder(Path lockFile, String mode) throws Exception {
      process = new ProcessBuilder("python3", "-c", HOLDER, lockFile.toString(), mode)
          .redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (IOException e) {
          return e.toString();
        }
      }).get(30, TimeUnit.SECONDS);
      assertThat(line).as("the other process took the lock").isEqualTo("locked");
    }

    @Override
    public void close() throws Exception {
      process.getOutputStream().close(); // it exits, and its lock goes with it
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static boolean pythonRuns() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import fcntl").start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** Waits (bounded) until {@code opener} sleeps between tries of the lock, or has finished. */
  private static void awaitPollingOrDone(Thread opener, CompletableFuture<?> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (opener.getState() != Thread.State.TIMED_WAITING && !done.isDone()
        && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  private static Thread openIn(Path dir, CompletableFuture<DiskStore> opened) {
    Thread opener = new Thread(() -> {
      try {
        opened.complete(DiskStore.open(dir));
      } catch (Throwable e) {
        opened.completeExceptionally(e);
      }
    }, "opener");
    opener.start();
    return opener;
  }

  private List<String> movedAside() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(DiskStore.DB_FILE + ".corrupt-")).toList();
    }
  }

  @Test
  void anOpenWaitsWhileAnotherProcessHoldsTheStoreExclusivelyThenOpens() throws Exception {
    assumeThat(pythonRuns()).as("python3 with fcntl").isTrue();
    try (DiskStore store = DiskStore.open(dir)) {
      store.put(NS, "kept", frame("kept"), 0, List.of());
    }
    CompletableFuture<DiskStore> opened = new CompletableFuture<>();
    try (LockHolder repairing = new LockHolder(dir.resolve(StoreLock.FILE), "exclusive")) {
      Thread opener = openIn(dir, opened);
      awaitPollingOrDone(opener, opened);
      assertThat(opened).as("waits while the other process repairs").isNotDone();
    }
    try (DiskStore store = opened.get(60, TimeUnit.SECONDS)) {
      assertThat(store.get(NS, "kept")).isEqualTo(frame("kept"));
    }
  }

  @Test
  void aDamagedDatabaseIsMovedAsideOnlyOnceTheOtherProcessHasClosedTheStore()
      throws Exception {
    assumeThat(pythonRuns()).as("python3 with fcntl").isTrue();
    try (DiskStore store = DiskStore.open(dir)) {
      store.put(NS, "old", frame("old"), 0, List.of());
    }
    Path db = dir.resolve(DiskStore.DB_FILE);
    byte[] bytes = Files.readAllBytes(db);
    java.util.Arrays.fill(bytes, 0, 100, (byte) 0x5A); // SQLite's header: not a database
    Files.write(db, bytes);
    CompletableFuture<DiskStore> opened = new CompletableFuture<>();
    try (LockHolder otherStore = new LockHolder(dir.resolve(StoreLock.FILE), "shared")) {
      Thread opener = openIn(dir, opened);
      awaitPollingOrDone(opener, opened);
      assertThat(opened).as("waits for the other process to close the store").isNotDone();
      assertThat(movedAside()).as("not moved while another process has it open").isEmpty();
    }
    try (DiskStore store = opened.get(60, TimeUnit.SECONDS)) {
      assertThat(store.get(NS, "old")).isNull();
      store.put(NS, "new", frame("new"), 0, List.of());
      assertThat(store.get(NS, "new")).isEqualTo(frame("new"));
    }
    assertThat(movedAside()).hasSize(1);
  }

  /** A store with one entry, closed, then its database damaged; returns a sound copy. */
  private Path damagedStoreWithSoundCopy() throws Exception {
    try (DiskStore store = DiskStore.open(dir)) {
      store.put(NS, "theirs", frame("theirs"), 0, List.of());
    }
    Path db = dir.resolve(DiskStore.DB_FILE);
    Path sound = dir.resolve("sound-copy");
    Files.copy(db, sound);
    byte[] bytes = Files.readAllBytes(db);
    java.util.Arrays.fill(bytes, 0, 100, (byte) 0x5A);
    Files.write(db, bytes);
    return sound;
  }

  @Test
  void aDatabaseRepairedByAProcessThatStillHasItOpenIsUsedAsItIs() throws Exception {
    assumeThat(pythonRuns()).as("python3 with fcntl").isTrue();
    Path sound = damagedStoreWithSoundCopy();
    CompletableFuture<DiskStore> opened = new CompletableFuture<>();
    try (LockHolder otherStore = new LockHolder(dir.resolve(StoreLock.FILE), "shared")) {
      Thread opener = openIn(dir, opened);
      awaitPollingOrDone(opener, opened);
      assertThat(opened).isNotDone();
      // The other process repaired it (here: put a sound database back) and keeps it open.
      Files.move(sound, dir.resolve(DiskStore.DB_FILE), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      try (DiskStore store = opened.get(60, TimeUnit.SECONDS)) {
        assertThat(store.get(NS, "theirs")).as("their repaired store, not an empty one")
            .isEqualTo(frame("theirs"));
      }
    }
    assertThat(movedAside()).as("a sound database is never moved aside").isEmpty();
  }

  @Test
  void aDatabaseRepairedByAProcessThatThenClosedItIsKept() throws Exception {
    assumeThat(pythonRuns()).as("python3 with fcntl").isTrue();
    Path sound = damagedStoreWithSoundCopy();
    CompletableFuture<DiskStore> opened = new CompletableFuture<>();
    try (LockHolder otherStore = new LockHolder(dir.resolve(StoreLock.FILE), "shared")) {
      Thread opener = openIn(dir, opened);
      awaitPollingOrDone(opener, opened);
      assertThat(opened).isNotDone();
      Files.move(sound, dir.resolve(DiskStore.DB_FILE), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } // closed right after the repair: the waiting open most likely finds itself alone first
    try (DiskStore store = opened.get(60, TimeUnit.SECONDS)) {
      assertThat(store.get(NS, "theirs")).isEqualTo(frame("theirs"));
    }
    assertThat(movedAside()).as("a sound database is never moved aside").isEmpty();
  }

  @Test
  void anOpenInterruptedWhileAnotherProcessRepairsStopsAndLeavesNothingOpen() throws Exception {
    assumeThat(pythonRuns()).as("python3 with fcntl").isTrue();
    try (DiskStore store = DiskStore.open(dir)) {
      store.put(NS, "kept", frame("kept"), 0, List.of());
    }
    CompletableFuture<DiskStore> opened = new CompletableFuture<>();
    boolean[] interruptKept = new boolean[1];
    try (LockHolder repairing = new LockHolder(dir.resolve(StoreLock.FILE), "exclusive")) {
      Thread opener = new Thread(() -> {
        try {
          opened.complete(DiskStore.open(dir));
        } catch (Throwable e) {
          interruptKept[0] = Thread.currentThread().isInterrupted();
          opened.completeExceptionally(e);
        }
      }, "opener");
      opener.start();
      awaitPollingOrDone(opener, opened);
      assertThat(opened).isNotDone();
      opener.interrupt();
      opener.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(opener.isAlive()).isFalse();
      assertThatThrownBy(opened::join).cause().isInstanceOf(DiskStoreException.class)
          .hasMessageContaining(dir.resolve(StoreLock.FILE).toString());
      assertThat(interruptKept[0]).as("the caller still sees the interrupt").isTrue();
      if (Files.isDirectory(OpenDescriptors.FD_DIR)) {
        assertThat(OpenDescriptors.on(dir.resolve(StoreLock.FILE)))
            .as("the lock file's descriptor is closed again").isZero();
      }
    }
    try (DiskStore store = DiskStore.open(dir)) {
      assertThat(store.get(NS, "kept")).isEqualTo(frame("kept"));
    }
  }
}
