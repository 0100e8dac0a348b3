package dev.cachet.disk;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Recently read small frames, kept in this process so that a hot key's read skips SQLite, and
 * kept coherent with every process's writes through the database's {@code changes} log.
 *
 * <p>Every change to a row of {@code entries} (insert, delete, or an update of its value, file,
 * expiry, check or rowid), by any process and any version of Cachet that shares the store,
 * appends the row's id to {@code changes} through triggers ({@link Schema}). Before a cached
 * frame is served, the cache reads the ids changed since it last looked, at most
 * {@link DiskStoreOptions#readCacheStaleness()} ago, and drops them: another process's commit is
 * seen within that bound; this process's own commits are seen at once, since its group commit
 * {@link #sync syncs} right after each one, before its journaled puts leave the journal.
 *
 * <p>A frame read from SQLite is cached only if no change was applied to the cache between the
 * start of that read and the fill ({@link #epoch}), so a read that raced with a change can never
 * leave the older frame behind. When the log was pruned past what this process last saw, or a
 * sync fails, the whole cache is dropped: it can cost hits, never serve a stale frame.
 */
final class ReadCache {
  /** Frames larger than this are read from SQLite each time: they would crowd out the rest. */
  static final int MAX_FRAME_BYTES = 16 * 1024;
  /** A sync that finds more changed ids than this drops everything instead. */
  static final int MAX_SYNC_IDS = 4096;
  /** What a cached entry costs besides its frame: the map's node, the record, the array header. */
  private static final int ENTRY_OVERHEAD = 96;

  /** A cached row: the key's check, the entry's expiry, and its verified frame. */
  record Row(long check, long expires, byte[] frame) {
  }

  private final ReaderPool readers;
  private final long staleNanos;
  private final Cache<Long, Row> rows;
  /** Fills hold the read side, changes the write side: a fill and a drop never interleave. */
  private final ReentrantReadWriteLock applying = new ReentrantReadWriteLock();
  /** One sync at a time; the others go on with what the last one left. */
  private final ReentrantLock syncing = new ReentrantLock();
  /** Bumped by every change applied to the cache; see {@link #fill}. */
  private volatile long epoch;
  /** When the last successful sync started ({@link System#nanoTime}). */
  private volatile long syncedAt;
  /** The last change seen; -1 for unknown (the first sync then drops everything). */
  private long lastSeq = -1;

  private ReadCache(ReaderPool readers, DiskStoreOptions options) {
    this.readers = readers;
    this.staleNanos = options.readCacheStaleness().toNanos();
    this.rows = Caffeine.newBuilder()
        .maximumWeight(options.readCacheBytes())
        .weigher((Long id, Row row) -> row.frame.length + ENTRY_OVERHEAD)
        // Evictions run on the caller: no task on the common pool per read.
        .executor(Runnable::run)
        .build();
    this.syncedAt = System.nanoTime() - staleNanos - 1;
  }

  /**
   * The cache for a store, or null when {@link DiskStoreOptions#readCacheBytes()} is 0.
   *
   * @param readers where syncs read the change log
   */
  static ReadCache of(ReaderPool readers, DiskStoreOptions options) {
    return options.readCacheBytes() == 0 ? null : new ReadCache(readers, options);
  }

  /**
   * The cached row of the key whose hashes are {@code id} and {@code check}, after a sync when
   * the last one is older than the staleness bound; null when not cached.
   */
  Row lookup(long id, long check) {
    if (staleNanos == 0) {
      // No staleness at all: every cached read waits for a sync of its own (or a later one).
      sync();
    } else if (System.nanoTime() - syncedAt > staleNanos && syncing.tryLock()) {
      try {
        // Checked again under the lock: another thread may have synced meanwhile.
        if (System.nanoTime() - syncedAt > staleNanos) {
          syncLocked();
        }
      } finally {
        syncing.unlock();
      }
    }
    Row row = rows.getIfPresent(id);
    return row != null && row.check == check ? row : null;
  }

  /** What {@link #fill} needs to know that no change came in between: read before the read. */
  long epoch() {
    return epoch;
  }

  /**
   * Caches a frame just read and verified, unless a change was applied since
   * {@code epochBefore} (then the frame may be older than the database, and is left out).
   */
  void fill(long epochBefore, long id, long check, long expires, byte[] frame) {
    if (frame.length > MAX_FRAME_BYTES) {
      return;
    }
    byte[] copy = frame.clone(); // the caller hands its array on to the application
    applying.readLock().lock();
    try {
      if (epoch == epochBefore) {
        rows.put(id, new Row(check, expires, copy));
      }
    } finally {
      applying.readLock().unlock();
    }
  }

  /**
   * Drops one key's row: a put of this process was journaled, and reads must not refill the
   * row with the database's older frame before the journal is applied.
   */
  void invalidate(long id) {
    applying.writeLock().lock();
    try {
      epoch++;
      rows.invalidate(id);
    } finally {
      applying.writeLock().unlock();
    }
  }

  /** Drops everything: the store closes, or its database was found damaged. */
  void invalidateAll() {
    applying.writeLock().lock();
    try {
      epoch++;
      rows.invalidateAll();
    } finally {
      applying.writeLock().unlock();
    }
  }

  /**
   * Reads the change log now and drops what changed: after this process's own commit (by its
   * group commit), so that its reads see it at once.
   */
  void sync() {
    syncing.lock();
    try {
      syncLocked();
    } finally {
      syncing.unlock();
    }
  }

  private void syncLocked() {
    long started = System.nanoTime();
    ReaderPool.Changes changes;
    try {
      changes = readers.changesSince(lastSeq, MAX_SYNC_IDS);
    } catch (SQLException | RuntimeException e) {
      // Whatever changed cannot be told: serve nothing from memory until a sync succeeds.
      invalidateAll();
      lastSeq = -1;
      return;
    }
    if (changes.complete()) {
      long[] ids = changes.ids();
      if (ids.length > 0) {
        applying.writeLock().lock();
        try {
          epoch++;
          for (long id : ids) {
            rows.invalidate(id);
          }
        } finally {
          applying.writeLock().unlock();
        }
      }
    } else {
      invalidateAll();
    }
    lastSeq = changes.lastSeq();
    syncedAt = started;
  }
}
