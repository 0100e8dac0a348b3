package dev.cachet.disk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Tells the processes that have a store open from one that is alone with it, through a lock
 * file of Cachet's own ({@value #FILE}), never through SQLite's files: every open store holds
 * a shared lock on it, and only a process holding it exclusively, hence alone, may do what
 * would break the others, such as moving a damaged database aside. SQLite's own locks are
 * left to SQLite.
 *
 * <p>POSIX releases every lock a process holds on a file when any descriptor of that file is
 * closed, so this JVM opens the lock file once per directory, whichever stores use it: the
 * handles are counted in {@link #OPEN}, keyed by the file's device and inode, and the file's
 * descriptor is closed only when the last store of the directory closes. Java's own locks are
 * fcntl locks on Linux and macOS, so processes of other JVMs see them.
 */
final class StoreLock {
  static final String FILE = "cachet.lock";
  private static final long POLL_MILLIS = 20;

  /** Lock files this JVM has open, by file key; guarded by itself. */
  private static final Map<Object, StoreLock> OPEN = new HashMap<>();

  private final Object key;
  private final Path path;
  private final FileChannel channel;
  /** The lock this JVM holds: shared while stores use the directory, or exclusive. */
  private FileLock lock;
  private int users;

  private StoreLock(Object key, Path path, FileChannel channel) {
    this.key = key;
    this.path = path;
    this.channel = channel;
  }

  /**
   * Registers one more open store of {@code dir} and returns the directory's lock, holding it
   * shared. Waits while another process holds it exclusively (repairing the store), up to
   * {@code timeoutNanos}.
   *
   * @throws IOException if the lock file cannot be created or locked in time
   */
  static StoreLock acquire(Path dir, FileModes modes, long timeoutNanos) throws IOException {
    Path path = dir.resolve(FILE);
    synchronized (OPEN) {
      // Created (and its descriptor closed) only when absent: then no lock of this JVM can
      // be on it yet.
      modes.createFileIfAbsent(path);
      Object key = fileKey(path);
      StoreLock held = OPEN.get(key);
      if (held == null) {
        FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.READ,
            StandardOpenOption.WRITE), modes.fileAttributes());
        held = new StoreLock(key, path, ch);
        try {
          held.lock = held.lockWithin(true, timeoutNanos);
        } catch (IOException | RuntimeException e) {
          ch.close();
          throw e;
        }
        OPEN.put(key, held);
      }
      held.users++;
      return held;
    }
  }

  /**
   * Repairs the store once this process is alone with it (no other process and no other store
   * of this JVM has it open), unless it turns out not to need it. {@code healthy} is asked
   * first, and again whenever this process gets the store to itself, because another process
   * may have repaired it meanwhile; {@code repair} runs only while alone, and only if
   * {@code healthy} still found nothing. Between tries this process holds no lock, so that
   * two processes that both want to repair never wait for each other: one gets the store to
   * itself, the other then finds it repaired.
   *
   * @param healthy what the caller wants from a healthy store, or null if it needs repair
   * @param repair makes the store healthy and returns what {@code healthy} would have
   * @return what {@code healthy} or {@code repair} returned
   * @throws IOException if other users kept the store open past {@code timeoutNanos}
   */
  <T> T repairAlone(Supplier<T> healthy, Supplier<T> repair, long timeoutNanos)
      throws IOException {
    long deadline = System.nanoTime() + timeoutNanos;
    synchronized (OPEN) {
      if (users != 1) {
        throw new IOException((users - 1) + " other stores of this JVM have "
            + path.getParent() + " open");
      }
      lock.release();
      lock = null;
      while (true) {
        lock = channel.tryLock(0, Long.MAX_VALUE, false);
        if (lock != null) {
          try {
            T result = healthy.get();
            return result != null ? result : repair.get();
          } finally {
            lock.release();
            lock = null;
            lock = lockWithin(true, timeoutNanos);
          }
        }
        // Shared at once unless someone is repairing: then wait for them to finish.
        lock = lockWithin(true, Math.max(0, deadline - System.nanoTime()));
        T result = healthy.get();
        if (result != null) {
          return result;
        }
        if (System.nanoTime() >= deadline) {
          throw new IOException("other processes have the store open");
        }
        // No lock at all while waiting, so that another process meeting the same damage can
        // get the store to itself meanwhile.
        lock.release();
        lock = null;
        sleep();
      }
    }
  }

  /** Ends one store's use of the directory; the last one closes the lock file. */
  void release() {
    synchronized (OPEN) {
      if (--users > 0) {
        return;
      }
      OPEN.remove(key);
      try {
        channel.close(); // releases the lock
      } catch (IOException e) {
        // Nothing more to release.
      }
    }
  }

  private FileLock lockWithin(boolean shared, long timeoutNanos) throws IOException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (true) {
      FileLock got;
      try {
        got = channel.tryLock(0, Long.MAX_VALUE, shared);
      } catch (OverlappingFileLockException e) {
        throw new IllegalStateException("the lock on " + path + " is already held in this JVM",
            e);
      }
      if (got != null) {
        return got;
      }
      if (System.nanoTime() >= deadline) {
        throw new IOException("other processes hold " + path + (shared
            ? " exclusively (one is repairing the store)" : " (they have the store open)"));
      }
      sleep();
    }
  }

  private void sleep() throws IOException {
    try {
      Thread.sleep(POLL_MILLIS + ThreadLocalRandom.current().nextLong(POLL_MILLIS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + path, e);
    }
  }

  private static Object fileKey(Path path) throws IOException {
    try {
      Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      return key != null ? key : path.toRealPath();
    } catch (NoSuchFileException e) {
      throw new IOException("the lock file " + path + " vanished while opening the store", e);
    }
  }
}
