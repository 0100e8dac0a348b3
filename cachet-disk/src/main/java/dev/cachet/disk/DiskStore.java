package dev.cachet.disk;

import dev.cachet.codec.CorruptEntryException;
import dev.cachet.codec.EntryFrame;
import dev.cachet.tier.Store;
import dev.cachet.tier.StoreStats;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link Store} on local disk: one directory holding a SQLite database in WAL mode
 * ({@value #DB_FILE}) and a folder of side files ({@value #FILES_DIR}) for frames above
 * {@link DiskStoreOptions#sideFileThreshold()}. Several threads and several processes may use
 * the same directory at once.
 *
 * <p>Every read decodes the frame (checksum included); a damaged entry or a missing side file
 * is removed, counted in {@link StoreStats#corruptions()} and returned as a miss. A failing
 * operation (I/O error, a lock held beyond the busy timeout, a read-only directory, a full
 * disk) is counted in {@link StoreStats#failures()}, logged once per kind, and behaves as a
 * miss or a dropped write. Only {@link #open} throws for the store's own trouble.
 *
 * <p>Within a process, reads run on a small pool of read-only connections, each with its
 * prepared statement, so threads read in parallel (WAL readers never wait for the writer).
 *
 * <p>A put (of a frame below the side-file threshold) is appended to this process's
 * {@link WriteJournal} with one write and returns: it is then durable against a crash of the
 * process, and this process's reads see it at once. Within
 * {@link DiskStoreOptions#writeBehind()} the journaled puts are written to the database in one
 * transaction, where other processes see them; a process killed before that leaves its journal
 * for the next process that opens the store, which replays it. A journaled put that another
 * process's removal (of its key, namespace or tag, or of everything) followed is not applied
 * (see {@link JournalApplier#applyJournal}).
 *
 * <p>Every other write goes through one writer connection with group commit: a writing thread
 * queues its operation, and whichever thread holds the writer runs every queued operation in
 * one transaction, after the journaled puts; each caller returns once the transaction holding
 * its operation committed (durable against a crash of the process: WAL with
 * {@code synchronous=NORMAL}). The store starts no thread of its own: the delayed write of
 * journaled puts runs on the common fork/join pool.
 */
public final class DiskStore implements Store {
  /** The schema version this class writes and the newest it opens. */
  public static final int SCHEMA_VERSION = 2;
  static final String DB_FILE = "cachet.db";
  static final String FILES_DIR = "files";
  static final String JOURNAL_DIR = "journal";
  /**
   * How long a removal is remembered for journaled puts made before it (see
   * {@link JournalApplier#applyJournal}); a dead process's journal older than this is dropped
   * unreplayed, since whether its puts were invalidated meanwhile can no longer be told.
   */
  static final long DROP_RETENTION_MICROS = 3_600_000_000L;
  /**
   * Side files younger than this are never taken for orphans: another process may have renamed
   * one into place and not yet committed its row.
   */
  static final Duration ORPHAN_GRACE = Duration.ofHours(1);

  /**
   * Open stores, weakly held, whose journals the JVM's shutdown hook applies: a program that
   * exits without closing its store would otherwise leave its last puts for the next process
   * that opens the directory, unseen until then by processes already running. Held by their
   * group commit, which the store and its pending background commits hold: it stays here
   * exactly while one of them is reachable.
   */
  private static final Set<GroupCommit> OPEN =
      Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));
  static final AtomicBoolean SHUTDOWN_HOOK = new AtomicBoolean();
  /**
   * Applies every open store's journal when the JVM exits, registered by the first open
   * (package-private so that tests can see it registered and run it).
   */
  static final Thread EXIT_HOOK = new Thread(DiskStore::applyJournalsAtExit, "cachet-disk-exit");

  private final Path dir;
  private final DiskStoreOptions options;
  /** This store's share of the directory's lock file, released by {@link #close}. */
  private final StoreLock storeLock;
  /*
   * The parts, each owning its own state (see each class); they share the paths, options,
   * writer connection and failure counting through ctx.
   */
  private final StoreContext ctx;
  private final WriterConnection writer;
  private final ReadRecorder reads;
  private final ReaderPool readers;
  /** Hot frames in memory, coherent through the change log; null when off. */
  private final ReadCache readCache;
  private final SideFiles sideFiles;
  private final JournalApplier journals;
  private final GroupCommit commits;
  private final WriteOps ops;
  private final StoreCheck checker;
  private final Inspection inspection;

  private DiskStore(Path dir, DiskStoreOptions options, Connection conn, FileModes modes,
      StoreLock storeLock) {
    this.storeLock = storeLock;
    this.dir = dir;
    this.options = options;
    this.writer = new WriterConnection(conn);
    this.reads = new ReadRecorder(options, writer);
    this.ctx = new StoreContext(dir, options, modes, writer, reads);
    this.readers = new ReaderPool(ctx);
    this.readCache = ReadCache.of(readers, options);
    this.sideFiles = new SideFiles(ctx);
    EntryRows rows = new EntryRows(writer);
    this.journals = new JournalApplier(ctx, rows);
    this.commits = new GroupCommit(ctx, journals, new Eviction(options, writer), rows, sideFiles,
        readCache);
    this.ops = new WriteOps(ctx, rows, journals, sideFiles);
    this.checker = new StoreCheck(ctx, sideFiles, commits);
    this.inspection = new Inspection(ctx, sideFiles, commits);
  }

  /**
   * Opens (creating if needed) a store with the default options.
   *
   * @param dir the store's directory; created if absent
   * @return the open store
   * @throws DiskStoreException if the path is unusable or the database newer or unreadable
   */
  public static DiskStore open(Path dir) {
    return open(dir, DiskStoreOptions.defaults());
  }

  /**
   * Opens (creating if needed) a store. Safe to call from several processes on the same new
   * directory at once: schema creation is one immediate transaction, retried while another
   * process holds the lock.
   *
   * <p>A database file SQLite reports as damaged or as not a database is, by default
   * ({@link DiskStoreOptions#recoverCorruptDatabase()}), moved aside to
   * {@code cachet.db.corrupt-<time>} with a logged warning, and an empty store is created in
   * its place: a cache that starts cold is better than an application that fails to start.
   * Orphaned side files are deleted unless {@link DiskStoreOptions#removeOrphansOnOpen()} is
   * off.
   *
   * @param dir the store's directory; created if absent
   * @param options the settings
   * @return the open store
   * @throws DiskStoreException if the path is not a writable directory, the database was
   *     written by a newer schema version, or SQLite cannot open it (naming the file)
   */
  public static DiskStore open(Path dir, DiskStoreOptions options) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    Path abs = dir.toAbsolutePath().normalize();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new DiskStoreException("Cannot open a disk store at " + abs
          + ": it is a file, not a directory");
    }
    FileModes modes = FileModes.of(options);
    try {
      modes.createDirectories(abs);
      modes.createDirectories(abs.resolve(FILES_DIR));
    } catch (IOException e) {
      throw new DiskStoreException("Cannot open a disk store at " + abs
          + ": cannot create the directory (" + e + ")", e);
    }
    if (!Files.isWritable(abs) || !Files.isWritable(abs.resolve(FILES_DIR))) {
      throw new DiskStoreException("Cannot open a disk store at " + abs
          + ": the directory is not writable");
    }
    StoreLock storeLock;
    try {
      storeLock = StoreLock.acquire(abs, modes, Schema.STARTUP_RETRY_NANOS);
    } catch (IOException e) {
      throw new DiskStoreException("Cannot open a disk store at " + abs + ": " + e.getMessage()
          + ". Try again once it is done, or check who holds " + abs.resolve(StoreLock.FILE),
          e);
    }
    try {
      Connection c = Schema.connectOrRepair(abs, options, modes, storeLock);
      DiskStore store = new DiskStore(abs, options, c, modes, storeLock);
      store.replayOrphanJournals();
      OPEN.add(store.commits);
      if (SHUTDOWN_HOOK.compareAndSet(false, true)) {
        try {
          Runtime.getRuntime().addShutdownHook(EXIT_HOOK);
        } catch (IllegalStateException | SecurityException shuttingDown) {
          // Too late for a hook: the journal is replayed by the next open instead.
        }
      }
      if (options.removeOrphansOnOpen()) {
        store.removeOrphanFiles(ORPHAN_GRACE);
      }
      return store;
    } catch (RuntimeException e) {
      storeLock.release();
      throw e;
    }
  }

  @Override
  public String describe() {
    return "disk:" + dir;
  }

  /**
   * The store's directory.
   *
   * @return the absolute path given to {@link #open}
   */
  public Path directory() {
    return dir;
  }

  @Override
  public byte[] get(String namespace, String digest) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(digest, "digest");
    ctx.ensureOpen();
    byte[] frame = find(namespace, digest);
    if (frame == null) {
      // Every way of missing is counted here, once.
      if (reads.miss()) {
        commits.flushReadsInBackground();
      }
    }
    return frame;
  }

  /** The frame of a live, intact entry, or null for a miss (counted by {@link #get}). */
  private byte[] find(String namespace, String digest) {
    // Before the journal is looked at: a put journaled after this read cannot leave its
    // older frame cached (see ReadCache.fill).
    long epoch = readCache == null ? 0 : readCache.epoch();
    WriteJournal j = journals.current();
    WriteJournal.Entry journaled = j == null ? null : j.latest(namespace, digest);
    if (journaled != null) {
      return journaledHit(journaled);
    }
    long[] hashes = null;
    if (readCache != null) {
      hashes = new long[2];
      EntryKeys.hash(namespace, digest, hashes);
      ReadCache.Row cached = readCache.lookup(hashes[0], hashes[1]);
      if (cached != null) {
        long now = options.clock().millis();
        if (cached.expires() == 0 || now < cached.expires()) {
          if (reads.hit(hashes[0], now)) {
            commits.flushReadsInBackground();
          }
          return cached.frame().clone();
        } // expired: the database read below removes it and counts the expiration
      }
    }
    ReaderPool.Row row;
    try {
      row = readers.readRow(namespace, digest);
    } catch (SQLException e) {
      if (Sqlite.isCorrupt(e)) {
        damagedDatabase(namespace, digest, e);
      } else {
        ctx.fail("get", e);
      }
      return null;
    }
    if (row == null) {
      return null;
    }
    long now = options.clock().millis();
    if (row.expires() != 0 && now >= row.expires()) {
      // The one write a read may cost, and only for an entry that is dead anyway.
      commits.submit(ops.removeIfUnchanged(namespace, digest, row, Counter.EXPIRATIONS, null,
          null));
      return null;
    }
    byte[] bytes;
    String file = row.file();
    if (file != null) {
      Path path = sideFiles.sideFile(file);
      if (path == null) {
        corrupt(namespace, digest, row, "the entry (" + namespace + ", " + digest + ") in "
            + dir.resolve(DB_FILE) + " names a side file that is not one of the store's, "
            + "which was left alone", null);
        return null;
      }
      try {
        bytes = Files.readAllBytes(path);
      } catch (NoSuchFileException e) {
        corrupt(namespace, digest, row, "the side file " + path + " is missing", e);
        return null;
      } catch (IOException e) {
        ctx.fail("get", e);
        return null;
      }
    } else {
      bytes = row.inline() == null ? new byte[0] : row.inline();
    }
    try {
      EntryFrame.verify(bytes);
    } catch (CorruptEntryException e) {
      if (e.reason() == CorruptEntryException.Reason.NEWER_FORMAT) {
        // Left for the upgraded processes that share this store (docs/ENTRY-FORMAT.md).
        ctx.logOnce("newer-format", Level.WARNING, describe() + ": " + e.getMessage(), null);
        return null;
      }
      String where = file != null ? "side file " + ctx.filesDir.resolve(file)
          : "entry (" + namespace + ", " + digest + ") in " + dir.resolve(DB_FILE);
      corrupt(namespace, digest, row, "the " + where + " is damaged: " + e.getMessage(), e);
      return null;
    }
    if (readCache != null && file == null) {
      readCache.fill(epoch, row.id(), hashes[1], row.expires(), bytes);
    }
    if (reads.hit(row.id(), now)) {
      commits.flushReadsInBackground();
    }
    return bytes;
  }

  /**
   * A read served by this process's journal (the entry is not in the database yet), or null
   * once the entry has expired.
   */
  private byte[] journaledHit(WriteJournal.Entry entry) {
    long now = options.clock().millis();
    if (entry.expires() != 0 && now >= entry.expires()) {
      // Applying the journal drops it and counts the expiration, as a read of the database
      // would have.
      commits.flush();
      return null;
    }
    if (reads.journaledHit(now)) {
      commits.flushReadsInBackground();
    }
    return entry.frame().clone();
  }

  /** Removes a damaged entry, unless another process replaced or removed it meanwhile. */
  private void corrupt(String namespace, String digest, ReaderPool.Row row, String what,
      Exception cause) {
    commits.submit(ops.removeIfUnchanged(namespace, digest, row, Counter.CORRUPTIONS, what, cause));
  }

  /**
   * SQLite found a damaged page while reading this key: counted as a corruption, logged once
   * with the file and cause, and the key's row removed if SQLite still can.
   */
  private void damagedDatabase(String namespace, String digest, SQLException cause) {
    reads.addPending(Counter.CORRUPTIONS, 1);
    if (readCache != null) {
      readCache.invalidateAll(); // what was read before the damage showed is not trusted
    }
    ctx.logOnce("corrupt-db", Level.WARNING, describe() + ": the database " + dir.resolve(DB_FILE)
        + " is damaged (" + cause.getMessage() + "); reads that touch the damage are misses. "
        + "`cachet check` reports it; deleting the store directory (or the database file) "
        + "starts afresh", cause);
    commits.submit(ops.remove(namespace, digest, "remove"));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code frame} is not an intact entry frame (its
   *     structure or checksum fails {@link EntryFrame#verify}), or the expiry is negative
   */
  @Override
  public void put(String namespace, String digest, byte[] frame, long expiresAtMillis,
      List<String> tags) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(frame, "frame");
    List<String> tagList = List.copyOf(tags); // rejects null tags
    if (expiresAtMillis < 0) {
      throw new IllegalArgumentException("expiresAtMillis is epoch millis or 0 for never, got "
          + expiresAtMillis);
    }
    try {
      // Checked here, not only on reads: a journaled put is read back from memory until its
      // batch reaches the database, and must not hand back bytes a read would refuse.
      EntryFrame.verify(frame);
    } catch (CorruptEntryException e) {
      throw new IllegalArgumentException("Cannot store (" + namespace + ", " + digest + ") in "
          + ctx.describe() + ": the bytes are not an intact entry frame (" + e.getMessage()
          + "); build them with EntryFrame.encode()", e);
    }
    ctx.ensureOpen();
    long now = options.clock().millis();
    if (expiresAtMillis != 0 && now >= expiresAtMillis) {
      // Storing it would only hide it from reads; dropping the old value keeps put's meaning.
      remove(namespace, digest);
      return;
    }
    if (frame.length <= options.sideFileThreshold() && !options.writeBehind().isZero()) {
      WriteJournal j = journals.journal();
      if (j != null) {
        WriteJournal.Entry entry;
        try {
          entry = j.append(namespace, digest, frame.clone(), expiresAtMillis, tagList,
              JournalApplier.nowMicros());
        } catch (IOException e) {
          ctx.fail("put", e);
          return;
        } catch (IllegalStateException closedMeanwhile) {
          ctx.ensureOpen();
          throw closedMeanwhile;
        }
        if (entry != null) {
          if (readCache != null) {
            // After the append: a read that missed the journal cannot cache the older frame.
            long[] hashes = new long[2];
            EntryKeys.hash(namespace, digest, hashes);
            readCache.invalidate(hashes[0]);
          }
          try {
            j.sync(entry);
          } catch (IOException e) {
            // In the journal, and applied to the database within the write-behind delay;
            // only a power loss before then could lose it.
            ctx.fail("put", e);
          }
          commits.journaled(j);
          return;
        } // else beyond the journal's field limits: written directly below
      }
    }
    String file = null;
    if (frame.length > options.sideFileThreshold()) {
      // Written and synced before the group commit, outside the lock, so large writes from
      // several threads overlap their I/O.
      try {
        file = sideFiles.writeSideFile(frame);
      } catch (IOException e) {
        ctx.fail("put", e);
        return;
      }
    }
    commits.submit(ops.put(namespace, digest, frame, expiresAtMillis, tagList, file));
  }

  @Override
  public boolean remove(String namespace, String digest) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(digest, "digest");
    return commits.submit(ops.remove(namespace, digest, "remove")) > 0;
  }

  @Override
  public long removeNamespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    return commits.submit(ops.deletion("removeNamespace", "n:" + namespace,
        "SELECT file FROM entries WHERE namespace = ? AND file IS NOT NULL",
        "DELETE FROM entries WHERE namespace = ?", namespace));
  }

  @Override
  public long removeTag(String tag) {
    Objects.requireNonNull(tag, "tag");
    String ids = "SELECT entry_id FROM entry_tags WHERE tag = ?";
    return commits.submit(ops.deletion("removeTag", "t:" + tag,
        "SELECT file FROM entries WHERE id IN (" + ids + ") AND file IS NOT NULL",
        "DELETE FROM entries WHERE id IN (" + ids + ")", tag));
  }

  @Override
  public void clear() {
    removeAll();
  }

  /**
   * Like {@link #clear}, but says how many entries it removed (for tools that report it).
   * Never throws for the store's trouble; a failure is counted and 0 returned.
   *
   * @return the number of entries removed
   */
  public long removeAll() {
    return commits.submit(ops.deletion("clear", "*",
        "SELECT file FROM entries WHERE file IS NOT NULL", "DELETE FROM entries"));
  }

  /**
   * Deletes side files that no entry names: left by a process killed between writing a file
   * and committing its row, or between deleting a row and its file. Runs when the store opens;
   * never throws (a failure is counted).
   *
   * @param minAge only files last modified at least this long ago are considered, so that
   *     files another process is about to commit are spared
   * @return how many files were deleted
   */
  public long removeOrphanFiles(Duration minAge) {
    return sideFiles.removeOrphanFiles(minAge);
  }

  /**
   * The digests of up to {@code limit} live (unexpired) entries of {@code namespace}, without
   * reading their values or changing access times.
   */
  @Override
  public List<String> digests(String namespace, int limit) {
    return inspection.digests(namespace, limit);
  }

  /**
   * Describes stored entries for inspection, in creation order, without counting reads or
   * changing access times. Each frame is decoded to report its header; an unreadable one is
   * listed with {@link EntryInfo#problem()} set rather than removed.
   *
   * @param namespaceOrNull only this namespace, or null for all
   * @param limit the most entries to return; must be positive
   * @return the entries, oldest first; empty if the database cannot be read (counted as a
   *     failure)
   * @throws IllegalArgumentException if limit is not positive
   */
  public List<EntryInfo> entries(String namespaceOrNull, int limit) {
    return entries(namespaceOrNull, null, limit);
  }

  /**
   * Like {@link #entries(String, int)}, optionally for one digest (in any namespace unless a
   * namespace is given too).
   *
   * @param namespaceOrNull only this namespace, or null for all
   * @param digestOrNull only this digest, or null for all
   * @param limit the most entries to return; must be positive
   * @return the entries, oldest first
   * @throws IllegalArgumentException if limit is not positive
   */
  public List<EntryInfo> entries(String namespaceOrNull, String digestOrNull, int limit) {
    return inspection.entries(namespaceOrNull, digestOrNull, limit);
  }

  /**
   * Reads one entry's frame for inspection: unlike {@link #get} it counts no hit or miss,
   * records no access, ignores expiry and removes nothing.
   *
   * @param namespace the entry's namespace
   * @param digest the entry's digest
   * @return the decoded frame, or null if there is no such entry or it cannot be read
   */
  public EntryFrame peek(String namespace, String digest) {
    return inspection.peek(namespace, digest);
  }

  /**
   * Verifies the whole store: SQLite's {@code quick_check}, every entry (the frame decodes with
   * its checksum, the side file exists, the recorded size matches), side files no row names,
   * the tag index, and the entry and byte totals. With {@code fix}, damaged entries and
   * orphaned files are deleted and the totals recomputed; a damaged database file is only
   * reported (repairing it is beyond a cache; deleting the directory is the remedy).
   *
   * <p>Orphans are judged regardless of age, because a person asked for the check, except
   * {@code .tmp} files younger than {@link StoreCheck#CHECK_TMP_GRACE}: another process may be
   * writing them right now. Entries of a newer frame format are left alone, as by {@link #get}.
   *
   * <p>Never throws for the store's trouble: a step that fails is reported as
   * {@link CheckReport.Kind#CHECK_FAILED}.
   *
   * @param fix whether to repair what can be repaired
   * @return what was found and fixed
   */
  public CheckReport check(boolean fix) {
    return checker.check(fix);
  }

  @Override
  public StoreStats stats() {
    return inspection.stats();
  }

  /**
   * Writes journaled puts, buffered reads and counters to the database now, instead of
   * within the write-behind delay or at the next batch boundary. Never throws; a failure is
   * counted.
   */
  public void flush() {
    commits.flush();
  }

  @Override
  public void close() {
    synchronized (writer.lock) {
      if (ctx.isClosed()) {
        return;
      }
      ctx.markClosed();
      OPEN.remove(commits);
      WriteJournal j = journals.closeForWrites();
      commits.flushNow();
      if (readCache != null) {
        readCache.invalidateAll();
      }
      if (j != null) {
        // Kept when its last records could not be applied: the next open replays them.
        j.close(!j.hasPending());
      }
      readers.close();
      writer.close();
      storeLock.release();
    }
  }

  /** See {@link JournalApplier#replayOrphanJournals}; by {@link #open}. */
  private void replayOrphanJournals() {
    journals.replayOrphanJournals(commits::submit);
  }

  /** For tests: this process's journal, created if there is none yet (null if it cannot be). */
  WriteJournal journal() {
    return journals.journal();
  }

  /** For tests: the writer's connection, to read its settings. Under the writer's lock. */
  WriterConnection writer() {
    return writer;
  }

  private static void applyJournalsAtExit() {
    List<GroupCommit> stores;
    synchronized (OPEN) {
      stores = new ArrayList<>(OPEN);
    }
    for (GroupCommit store : stores) {
      store.applyJournalAtExit();
    }
  }

  @Override
  public String toString() {
    return "DiskStore[" + dir + ", " + options + "]";
  }
}
