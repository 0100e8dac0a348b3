package dev.cachet.disk;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every part of an open {@link DiskStore} shares: its paths and options, the writer
 * connection, the buffered counters, whether it is closed, and how it reports trouble (counted
 * and logged once per kind).
 */
final class StoreContext {
  /** The whole store logs under {@link DiskStore}'s name, whichever part logs. */
  static final System.Logger LOG = System.getLogger(DiskStore.class.getName());

  final Path dir;
  final Path filesDir;
  final Path journalDir;
  final DiskStoreOptions options;
  final FileModes modes;
  final WriterConnection writer;
  final ReadRecorder reads;
  /** Set by {@link DiskStore#close} under the writer's lock; read by everyone. */
  private volatile boolean closed;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  StoreContext(Path dir, DiskStoreOptions options, FileModes modes, WriterConnection writer,
      ReadRecorder reads) {
    this.dir = dir;
    this.filesDir = dir.resolve(DiskStore.FILES_DIR);
    this.journalDir = dir.resolve(DiskStore.JOURNAL_DIR);
    this.options = options;
    this.modes = modes;
    this.writer = writer;
    this.reads = reads;
  }

  /** The store's name in logs and messages (what {@link DiskStore#describe} returns). */
  String describe() {
    return "disk:" + dir;
  }

  boolean isClosed() {
    return closed;
  }

  /** Under the writer's lock, by {@link DiskStore#close}. */
  void markClosed() {
    closed = true;
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("The disk store " + dir + " is closed");
    }
  }

  /** Counts a failure and logs it, once per operation and kind of exception. */
  void fail(String operation, Exception e) {
    reads.addPending(Counter.FAILURES, 1);
    logOnce("fail:" + operation + ":" + e.getClass().getName(), Level.WARNING,
        describe() + ": " + operation + " failed, treated as a miss or a dropped write: "
            + e.getMessage(), e);
  }

  void logOnce(String key, Level level, String message, Throwable cause) {
    if (logged.add(key)) {
      LOG.log(level, message, cause);
    }
  }
}
