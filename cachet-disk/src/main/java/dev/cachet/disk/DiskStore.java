package dev.cachet.disk;

import dev.cachet.codec.CorruptEntryException;
import dev.cachet.codec.EntryFrame;
import dev.cachet.tier.Store;
import dev.cachet.tier.StoreStats;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

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
 * (see {@link #applyJournal}).
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
   * {@link #applyJournal}); a dead process's journal older than this is dropped unreplayed,
   * since whether its puts were invalidated meanwhile can no longer be told.
   */
  static final long DROP_RETENTION_MICROS = 3_600_000_000L;
  /** Beyond this many journaled puts (or bytes), the putting thread applies them itself. */
  private static final int JOURNAL_BATCH = 4096;
  private static final long JOURNAL_BATCH_BYTES = 8L << 20;
  private static final String SIDE_SUFFIX = ".entry";
  /** The names {@link #writeSideFile} gives: a random UUID and {@link #SIDE_SUFFIX}. */
  private static final Pattern SIDE_FILE_NAME = Pattern.compile(
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.entry");
  private static final System.Logger LOG = System.getLogger(DiskStore.class.getName());
  /** How long {@link #open} retries while other processes create or lock the database. */
  private static final long STARTUP_RETRY_NANOS = 30_000_000_000L;
  /**
   * How long {@link #open} waits to be alone with a damaged database before it gives up
   * (another process that met the damage at the same moment repairs it much sooner).
   */
  private static final long REPAIR_WAIT_NANOS = 10_000_000_000L;
  /**
   * Side files younger than this are never taken for orphans: another process may have renamed
   * one into place and not yet committed its row.
   */
  static final Duration ORPHAN_GRACE = Duration.ofHours(1);
  /** Beyond this many buffered reads while the database fails, the oldest are dropped. */
  private static final int MAX_PENDING_ACCESS = 100_000;
  /**
   * Idle read connections kept for reuse; a burst of more threads opens more, which are
   * closed when returned beyond this many (each holds up to 8 MB of SQLite's page cache).
   */
  private static final int MAX_IDLE_READERS = 16;
  /**
   * A batch of buffered reads records every read exactly until it holds this many distinct
   * entries; from then on a read is recorded with probability 1 / {@value #ACCESS_SAMPLE}
   * (and then counted that many times, so counts stay right on average). Writing a batch costs
   * about one row rewrite per distinct entry: with uniform reads over a large store that was
   * most of a get's cost (measured: 11 µs per get instead of 7), and eviction beyond
   * {@link #EXACT_EVICTION_ROWS} rows samples anyway. Small working sets stay exact. Sampling
   * every read, not only reads of entries not yet in the batch, spares the rest a hash map
   * lookup, which with uniform reads is a cache miss or two: with gets at 1.4 µs, looking each
   * one up cost an LRU get about a quarter more than a default one.
   */
  static final int EXACT_ACCESS_ROWS = 512;
  static final int ACCESS_SAMPLE = 32;
  /** The most operations one group commit runs, so one transaction stays short. */
  private static final int MAX_BATCH = 256;
  /** SQLite's primary result codes for a damaged file. */
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_NOTADB = 26;

  /**
   * The lookup: an entry's rowid is a hash of its key ({@link EntryKeys#hash}), so a read is
   * one descent of the table's B-tree instead of one through the {@code (namespace, digest)}
   * index and then one through the table (measured: 3.8 µs instead of 5.3). The row's
   * {@code keycheck}, a second hash of its own key ({@link EntryKeys#hash}), is compared with
   * the key's, so another key's row at that rowid (a hash collision, or damage to the table's
   * pages) is a miss, never its value. A side file's name is looked up only when {@code value}
   * is NULL ({@link #FILE_SQL}).
   */
  private static final String GET_SQL = "SELECT value, expires, keycheck FROM entries "
      + "WHERE id = ?1";
  private static final String FILE_SQL = "SELECT file FROM entries WHERE id = ? "
      + "AND keycheck = ?";
  /** SQLite's primary result code for a violated constraint. */
  private static final int SQLITE_CONSTRAINT = 19;

  /**
   * Open stores, weakly held, whose journals the JVM's shutdown hook applies: a program that
   * exits without closing its store would otherwise leave its last puts for the next process
   * that opens the directory, unseen until then by processes already running.
   */
  private static final Set<DiskStore> OPEN =
      Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));
  private static final AtomicBoolean SHUTDOWN_HOOK = new AtomicBoolean();

  private enum Counter { HITS, MISSES, WRITES, EVICTIONS, EXPIRATIONS, CORRUPTIONS, FAILURES }

  private final Path dir;
  private final Path filesDir;
  private final DiskStoreOptions options;
  /**
   * Guards the writer connection {@link #conn}, its statements, and everything done on it
   * (transactions, checks, listings). Held by the thread that runs a group commit.
   */
  private final Object lock = new Object();
  private final Connection conn;
  /** The writer's prepared statements by SQL text; guarded by {@link #lock}. */
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  /** Operations waiting for the next group commit. */
  private final ConcurrentLinkedQueue<WriteOp> queue = new ConcurrentLinkedQueue<>();
  /** Read connections not in use, most recently used first (its pages are warm). */
  private final ConcurrentLinkedDeque<Reader> idleReaders = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private volatile boolean closed;

  /** Guards {@link #pending}, and the swap of the read buffers below for a transaction. */
  private final Object pendingLock = new Object();
  /** Counters not yet added to the database's, indexed by {@link Counter#ordinal()}. */
  private final long[] pending = new long[Counter.values().length];
  /*
   * What reads buffer, without a lock: with one monitor taken by every read, two threads
   * reading at once served fewer gets than one (measured: 175 k/s against 190 k/s).
   */
  private final LongAdder readHits = new LongAdder();
  private final LongAdder readMisses = new LongAdder();
  private final LongAdder readsSinceFlush = new LongAdder();
  /**
   * Entry id to {reads, last read time}: reads not yet written to the database, under LRU and
   * LFU. A read racing with {@link #takePending} may land in the map just taken and be lost:
   * reads only steer eviction, which samples anyway.
   */
  private volatile ConcurrentHashMap<Long, long[]> pendingAccess = new ConcurrentHashMap<>();
  private volatile long lastFlushMillis;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  private final Path journalDir;
  private final FileModes modes;
  /** This store's share of the directory's lock file, released by {@link #close}. */
  private final StoreLock storeLock;
  /** Whether reads are recorded per entry: only LRU and LFU eviction order by them. */
  private final boolean recordsReads;
  /** This process's journal, created by the first journaled put; null until then. */
  private volatile WriteJournal journal;
  /** The journal could not be created: puts are written to the database directly. */
  private volatile boolean journalUnavailable;
  private final Object journalInit = new Object();
  /** Whether a delayed application of the journal is pending on the common pool. */
  private final AtomicBoolean applyScheduled = new AtomicBoolean();
  private final AtomicBoolean readFlushScheduled = new AtomicBoolean();
  /** When drops were last pruned; guarded by {@link #lock}. */
  private long lastDropPruneMillis;

  private DiskStore(Path dir, DiskStoreOptions options, Connection conn, FileModes modes,
      StoreLock storeLock) {
    this.modes = modes;
    this.storeLock = storeLock;
    this.dir = dir;
    this.journalDir = dir.resolve(JOURNAL_DIR);
    this.recordsReads = options.eviction() != EvictionMode.LEAST_RECENTLY_STORED;
    this.filesDir = dir.resolve(FILES_DIR);
    this.options = options;
    this.conn = conn;
    this.lastFlushMillis = options.clock().millis();
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
      storeLock = StoreLock.acquire(abs, modes, STARTUP_RETRY_NANOS);
    } catch (IOException e) {
      throw new DiskStoreException("Cannot open a disk store at " + abs + ": " + e.getMessage()
          + ". Try again once it is done, or check who holds " + abs.resolve(StoreLock.FILE),
          e);
    }
    try {
      Connection c = connectOrRepair(abs, options, modes, storeLock);
      DiskStore store = new DiskStore(abs, options, c, modes, storeLock);
      store.replayOrphanJournals();
      OPEN.add(store);
      if (SHUTDOWN_HOOK.compareAndSet(false, true)) {
        try {
          Runtime.getRuntime().addShutdownHook(new Thread(DiskStore::applyJournalsAtExit,
              "cachet-disk-exit"));
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

  /**
   * Connects the writer; a database SQLite reports as damaged is moved aside first when the
   * options allow it, but only while no other process has the store open ({@link StoreLock}):
   * renaming files that other processes' SQLite has open would leave each of them with a
   * database of its own, and their WAL index with the wrong one.
   */
  private static Connection connectOrRepair(Path dir, DiskStoreOptions options,
      FileModes modes, StoreLock storeLock) {
    try {
      return connect(dir, options, modes);
    } catch (DiskStoreException e) {
      if (!options.recoverCorruptDatabase() || !(e.getCause() instanceof SQLException)
          || !isCorrupt((SQLException) e.getCause())) {
        throw e;
      }
      SQLException damage = (SQLException) e.getCause();
      try {
        return storeLock.repairAlone(() -> connectUnlessCorrupt(dir, options, modes), () -> {
          moveAside(dir, damage);
          return connect(dir, options, modes);
        }, REPAIR_WAIT_NANOS);
      } catch (IOException notAlone) {
        throw new DiskStoreException("Cannot open a disk store at " + dir + ": the database "
            + dir.resolve(DB_FILE) + " is damaged (" + damage.getMessage() + "), and it cannot "
            + "be moved aside while others use it (" + notAlone.getMessage() + "). Stop the "
            + "processes that have the store open, or give this one another directory; "
            + "deleting the directory starts afresh", notAlone);
      }
    }
  }

  /** A connection, or null if SQLite still finds the database damaged. */
  private static Connection connectUnlessCorrupt(Path dir, DiskStoreOptions options,
      FileModes modes) {
    try {
      return connect(dir, options, modes);
    } catch (DiskStoreException e) {
      if (e.getCause() instanceof SQLException && isCorrupt((SQLException) e.getCause())) {
        return null;
      }
      throw e;
    }
  }

  /**
   * Moves a damaged database (and its WAL and shared-memory files) out of the way. Only
   * while this process is alone with the store (see {@link #connectOrRepair}), and with no
   * connection of its own open, so SQLite has none of these files open anywhere.
   */
  private static void moveAside(Path dir, SQLException cause) {
    Path db = dir.resolve(DB_FILE);
    String suffix = ".corrupt-" + Instant.now().toString().replace(':', '-');
    try {
      for (String extra : new String[] {"", "-wal", "-shm"}) {
        Path from = dir.resolve(DB_FILE + extra);
        if (Files.exists(from)) {
          Files.move(from, dir.resolve(DB_FILE + suffix + extra),
              StandardCopyOption.ATOMIC_MOVE);
        }
      }
    } catch (IOException e) {
      throw new DiskStoreException("Cannot open a disk store at " + dir + ": the database " + db
          + " is damaged (" + cause.getMessage() + ") and cannot be moved aside (" + e + ")", e);
    }
    // The old side files are now orphans; removeOrphanFiles deletes them once old enough.
    LOG.log(Level.WARNING, "disk:" + dir + ": the database " + db + " is damaged ("
        + cause.getMessage() + "); moved it to " + DB_FILE + suffix
        + " and started an empty store", cause);
  }

  private static Connection connect(Path dir, DiskStoreOptions options, FileModes modes) {
    Path db = dir.resolve(DB_FILE);
    try {
      modes.createFileIfAbsent(db);
    } catch (IOException e) {
      throw new DiskStoreException("Cannot open a disk store at " + dir + ": cannot create "
          + db + " (" + e + ")", e);
    }
    long deadline = System.nanoTime() + STARTUP_RETRY_NANOS;
    while (true) {
      Connection c = null;
      try {
        SQLiteConfig config = new SQLiteConfig();
        // One thread uses a connection at a time (under the lock, or borrowed from the pool),
        // so SQLite's own per-call mutex is redundant.
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        config.setBusyTimeout((int) options.busyTimeout().toMillis());
        c = config.createConnection("jdbc:sqlite:" + db);
        try (Statement s = c.createStatement()) {
          // WAL lets readers proceed while one process writes; NORMAL syncs at checkpoints
          // only, which in WAL mode loses at most the last commits on power loss, never the
          // database, and never a commit when only the process dies.
          s.execute("PRAGMA journal_mode=WAL");
          s.execute(options.durability() == Durability.POWER_LOSS ? "PRAGMA synchronous=FULL"
              : "PRAGMA synchronous=NORMAL");
          s.execute("PRAGMA cache_size=-65536");
        }
        createSchema(c, dir);
        return c;
      } catch (SQLException e) {
        closeQuietly(c);
        if (isBusy(e) && System.nanoTime() < deadline) {
          sleepQuietly(10 + ThreadLocalRandom.current().nextInt(90));
          continue;
        }
        throw new DiskStoreException("Cannot open a disk store at " + dir + ": SQLite failed on "
            + db + " (" + e.getMessage() + ")", e);
      } catch (RuntimeException e) {
        closeQuietly(c);
        throw e;
      }
    }
  }

  /**
   * Schema version 1 to 2: each entry moves to the rowid its key hashes to ({@link #GET_SQL}),
   * its tags with it, and gets its {@code keycheck}. Runs once, inside the schema transaction,
   * so other processes opening the store meanwhile wait (and retry past their busy timeout;
   * see {@link #open}). A process of the earlier version that still has the store open keeps
   * working: it finds rows through the key index, and the rows it adds at other rowids are
   * misses here until it replaces them. Should two keys' rowids collide, the second entry is
   * dropped (a miss) and its side file queued in {@code doomed_files}, which the next write
   * transaction deletes.
   */
  private static void migrateToHashedRowids(Connection c) throws SQLException {
    List<long[]> moves = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, namespace, digest FROM entries")) {
      long[] hashes = new long[2];
      while (rs.next()) {
        EntryKeys.hash(rs.getString(2), rs.getString(3), hashes);
        moves.add(new long[] {rs.getLong(1), hashes[0], hashes[1]});
      }
    }
    try (PreparedStatement move = c.prepareStatement(
            "UPDATE OR IGNORE entries SET id = ?, keycheck = ? WHERE id = ?");
        PreparedStatement retag = c.prepareStatement(
            "UPDATE OR IGNORE entry_tags SET entry_id = ? WHERE entry_id = ?");
        PreparedStatement drop = c.prepareStatement(
            "DELETE FROM entries WHERE id = ? RETURNING file");
        PreparedStatement doom = c.prepareStatement(
            "INSERT INTO doomed_files(file) VALUES (?)")) {
      for (long[] m : moves) {
        move.setLong(1, m[1]);
        move.setLong(2, m[2]);
        move.setLong(3, m[0]);
        if (move.executeUpdate() > 0) {
          retag.setLong(1, m[1]);
          retag.setLong(2, m[0]);
          retag.executeUpdate();
          continue;
        }
        drop.setLong(1, m[0]);
        try (ResultSet rs = drop.executeQuery()) {
          if (rs.next() && rs.getString(1) != null) {
            doom.setString(1, rs.getString(1));
            doom.executeUpdate();
          }
        }
      }
    }
  }

  private static void createSchema(Connection c, Path dir) throws SQLException {
    try (Statement s = c.createStatement()) {
      // IMMEDIATE takes the write lock first, so two JVMs creating the same new store cannot
      // both see an empty schema and interleave.
      s.execute("BEGIN IMMEDIATE");
      try {
        s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        int found = 0;
        try (ResultSet rs = s.executeQuery(
            "SELECT value FROM meta WHERE key = 'schema_version'")) {
          if (rs.next()) {
            found = Integer.parseInt(rs.getString(1).trim());
            if (found > SCHEMA_VERSION) {
              throw new DiskStoreException("Cannot open the disk store at " + dir
                  + ": it was written with schema version " + found + ", and this Cachet reads "
                  + "schema version " + SCHEMA_VERSION + " at most. Upgrade Cachet in every "
                  + "process sharing this store, or give this one another directory; the store "
                  + "was left untouched.");
            }
          }
        }
        s.execute("CREATE TABLE IF NOT EXISTS entries("
            + "id INTEGER PRIMARY KEY, namespace TEXT NOT NULL, digest TEXT NOT NULL, "
            + "size INTEGER NOT NULL, created INTEGER NOT NULL, accessed INTEGER NOT NULL, "
            + "expires INTEGER NOT NULL, access_count INTEGER NOT NULL, tags TEXT NOT NULL, "
            + "value BLOB, file TEXT, keycheck INTEGER, UNIQUE(namespace, digest))");
        // No index on created, accessed or access_count: each one cost every put two more
        // B-tree pages written to the WAL (the old position and the new) and every batched
        // access update three, which measured as most of a put's time. Eviction samples rows
        // instead in large stores (see evict). Stores made by earlier versions lose these indexes here; an
        // earlier version sharing the store recreates them, which is harmless.
        s.execute("DROP INDEX IF EXISTS entries_created");
        s.execute("DROP INDEX IF EXISTS entries_accessed");
        s.execute("DROP INDEX IF EXISTS entries_lfu");
        s.execute("CREATE INDEX IF NOT EXISTS entries_expires ON entries(expires) "
            + "WHERE expires > 0");
        s.execute("CREATE TABLE IF NOT EXISTS entry_tags(tag TEXT NOT NULL, "
            + "entry_id INTEGER NOT NULL, PRIMARY KEY(tag, entry_id)) WITHOUT ROWID");
        s.execute("CREATE INDEX IF NOT EXISTS entry_tags_entry ON entry_tags(entry_id)");
        // Removals remembered for journaled puts made before them (see applyJournal).
        s.execute("CREATE TABLE IF NOT EXISTS drops(scope TEXT PRIMARY KEY, "
            + "at INTEGER NOT NULL) WITHOUT ROWID");
        s.execute("CREATE INDEX IF NOT EXISTS drops_at ON drops(at)");
        s.execute("CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, "
            + "value INTEGER NOT NULL)");
        StringBuilder names = new StringBuilder("('entries', 0), ('bytes', 0)");
        for (Counter counter : Counter.values()) {
          names.append(", ('").append(counter.name().toLowerCase()).append("', 0)");
        }
        s.execute("INSERT OR IGNORE INTO counters(name, value) VALUES " + names);
        // Triggers keep the totals and the tag index right whoever deletes a row, in every
        // process, so eviction never needs SUM(size) over the table.
        s.execute("CREATE TRIGGER IF NOT EXISTS entries_inserted AFTER INSERT ON entries BEGIN "
            + "UPDATE counters SET value = value + 1 WHERE name = 'entries'; "
            + "UPDATE counters SET value = value + NEW.size WHERE name = 'bytes'; END");
        s.execute("CREATE TRIGGER IF NOT EXISTS entries_deleted AFTER DELETE ON entries BEGIN "
            + "UPDATE counters SET value = value - 1 WHERE name = 'entries'; "
            + "UPDATE counters SET value = value - OLD.size WHERE name = 'bytes'; "
            + "DELETE FROM entry_tags WHERE entry_id = OLD.id; END");
        // A put replaces a row in place (an upsert, three times cheaper than a delete and an
        // insert, measured); these keep the totals, the tag index and the side files right
        // when it does. The replaced side file is queued in doomed_files and deleted by the
        // writer after its transaction commits (see drainDoomedFiles).
        s.execute("CREATE TABLE IF NOT EXISTS doomed_files(file TEXT NOT NULL)");
        s.execute("CREATE TRIGGER IF NOT EXISTS entries_refiled AFTER UPDATE OF file ON entries "
            + "WHEN OLD.file IS NOT NULL AND OLD.file IS NOT NEW.file BEGIN "
            + "INSERT INTO doomed_files(file) VALUES (OLD.file); END");
        s.execute("CREATE TRIGGER IF NOT EXISTS entries_resized AFTER UPDATE OF size ON entries "
            + "WHEN OLD.size <> NEW.size BEGIN "
            + "UPDATE counters SET value = value + NEW.size - OLD.size WHERE name = 'bytes'; END");
        s.execute("CREATE TRIGGER IF NOT EXISTS entries_retagged AFTER UPDATE OF tags ON entries "
            + "WHEN OLD.tags <> '' BEGIN DELETE FROM entry_tags WHERE entry_id = OLD.id; END");
        if (found == 1) {
          s.execute("ALTER TABLE entries ADD COLUMN keycheck INTEGER");
          migrateToHashedRowids(c);
        }
        s.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '"
            + SCHEMA_VERSION + "')");
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      }
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

  // ---------------------------------------------------------------------------------------
  // Reads

  /** A read-only connection with its prepared lookup, used by one thread at a time. */
  private static final class Reader {
    final Connection connection;
    final EntryLookup get;
    /** The key's rowid and check, computed into this reader's own array (no allocation). */
    final long[] keyHashes = new long[2];
    PreparedStatement file;

    Reader(Connection connection) throws SQLException {
      this.connection = connection;
      this.get = new EntryLookup(connection, GET_SQL, 2, true);
    }

    PreparedStatement file() throws SQLException {
      if (file == null) {
        file = connection.prepareStatement(FILE_SQL);
      }
      return file;
    }

    void close() {
      try {
        get.close();
        if (file != null) {
          file.close();
        }
      } catch (SQLException e) {
        // Closing the connection below releases it anyway.
      }
      closeQuietly(connection);
    }
  }

  private Reader borrowReader() throws SQLException {
    Reader reader = idleReaders.pollFirst();
    if (reader != null) {
      idleCount.decrementAndGet();
      return reader;
    }
    return newReader();
  }

  private Reader newReader() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setOpenMode(SQLiteOpenMode.NOMUTEX);
    config.setBusyTimeout((int) options.busyTimeout().toMillis());
    Connection c = config.createConnection("jdbc:sqlite:" + dir.resolve(DB_FILE));
    try {
      try (Statement s = c.createStatement()) {
        // query_only rather than a read-only open: a connection opened read-only maps the WAL
        // index read-only too, and then re-reads the WAL on every transaction (measured: 26 us
        // per get instead of a few). Either way a reader cannot write, whatever a bug asks;
        // removals found while reading go through the writer.
        s.execute("PRAGMA query_only=1");
        // 8 MB of pages instead of SQLite's 2 MB, so that a working set of tens of thousands
        // of small entries stays in the connection's cache (measured: ~1 us a get).
        s.execute("PRAGMA cache_size=-8192");
        // No mmap_size. Every commit of any process makes SQLite drop each reader's page
        // cache and, with a map, unmap and map the file again: with 5% writes over 1,000,000
        // keys gets were 3x slower with it (and with reads alone, no faster). It would also
        // turn an I/O error on the database into a SIGBUS instead of a miss.
      }
      return new Reader(c);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private void releaseReader(Reader reader, boolean healthy) {
    // A connection that failed is dropped rather than trusted again; a fresh one is cheap.
    if (!healthy || closed || idleCount.incrementAndGet() > MAX_IDLE_READERS) {
      if (healthy && !closed) {
        idleCount.decrementAndGet();
      }
      reader.close();
      return;
    }
    idleReaders.offerFirst(reader);
    if (closed && idleReaders.remove(reader)) {
      // close() may have drained the pool just before this reader went back in.
      idleCount.decrementAndGet();
      reader.close();
    }
  }

  /** One row as {@link #get} reads it. */
  private record Row(long id, long expires, byte[] inline, String file) {
  }

  /** Looks a key up on a pooled read connection, by its rowid ({@link #GET_SQL}). */
  private Row readRow(String namespace, String digest) throws SQLException {
    Reader reader = borrowReader();
    boolean healthy = false;
    try {
      EntryKeys.hash(namespace, digest, reader.keyHashes);
      long id = reader.keyHashes[0];
      long check = reader.keyHashes[1];
      EntryLookup lookup = reader.get;
      if (!lookup.find(id) || lookup.longAt(1) != check) {
        healthy = true;
        return null;
      }
      byte[] inline = lookup.value();
      long expires = lookup.longAt(0);
      String file = null;
      if (inline == null) {
        PreparedStatement fp = reader.file();
        fp.setLong(1, id);
        fp.setLong(2, check);
        try (ResultSet rs = fp.executeQuery()) {
          file = rs.next() ? rs.getString(1) : null;
        }
        if (file == null) {
          healthy = true;
          return null; // replaced by an inline value or removed in between: a miss
        }
      }
      healthy = true;
      return new Row(id, expires, inline, file);
    } finally {
      releaseReader(reader, healthy);
    }
  }

  @Override
  public byte[] get(String namespace, String digest) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(digest, "digest");
    ensureOpen();
    WriteJournal j = journal;
    WriteJournal.Entry journaled = j == null ? null : j.latest(namespace, digest);
    if (journaled != null) {
      return journaledHit(journaled);
    }
    Row row;
    try {
      row = readRow(namespace, digest);
    } catch (SQLException e) {
      if (isCorrupt(e)) {
        damagedDatabase(namespace, digest, e);
      } else {
        fail("get", e);
      }
      return miss();
    }
    if (row == null) {
      return miss();
    }
    long now = options.clock().millis();
    if (row.expires() != 0 && now >= row.expires()) {
      // The one write a read may cost, and only for an entry that is dead anyway.
      submit(new RemoveIfUnchanged(namespace, digest, row, Counter.EXPIRATIONS, null, null));
      return miss();
    }
    byte[] bytes;
    String file = row.file();
    if (file != null) {
      Path path = sideFile(file);
      if (path == null) {
        corrupt(namespace, digest, row, "the entry (" + namespace + ", " + digest + ") in "
            + dir.resolve(DB_FILE) + " names a side file that is not one of the store's, "
            + "which was left alone", null);
        return miss();
      }
      try {
        bytes = Files.readAllBytes(path);
      } catch (NoSuchFileException e) {
        corrupt(namespace, digest, row, "the side file " + path + " is missing", e);
        return miss();
      } catch (IOException e) {
        fail("get", e);
        return miss();
      }
    } else {
      bytes = row.inline() == null ? new byte[0] : row.inline();
    }
    try {
      EntryFrame.verify(bytes);
    } catch (CorruptEntryException e) {
      if (e.reason() == CorruptEntryException.Reason.NEWER_FORMAT) {
        // Left for the upgraded processes that share this store (docs/ENTRY-FORMAT.md).
        logOnce("newer-format", Level.WARNING, describe() + ": " + e.getMessage(), null);
        return miss();
      }
      String where = file != null ? "side file " + filesDir.resolve(file)
          : "entry (" + namespace + ", " + digest + ") in " + dir.resolve(DB_FILE);
      corrupt(namespace, digest, row, "the " + where + " is damaged: " + e.getMessage(), e);
      return miss();
    }
    readHits.increment();
    // Only LRU and LFU order by reads; recording them costs every batch a rewrite of the
    // table pages the reads touched (measured: a third of a get's time with uniform reads).
    if (recordsReads) {
      recordRead(row.id(), now);
    }
    if (readCounted(now)) {
      flushReadsInBackground();
    }
    return bytes;
  }

  private void recordRead(long id, long now) {
    ConcurrentHashMap<Long, long[]> access = pendingAccess;
    if (access.mappingCount() < EXACT_ACCESS_ROWS) {
      long[] a = access.get(id);
      if (a != null) {
        // Two threads reading one entry at once may lose one of their updates here: a read
        // count one short, which steers eviction no worse than the sampling below does.
        a[0]++;
        a[1] = Math.max(a[1], now);
      } else {
        access.merge(id, new long[] {1, now}, DiskStore::mergeReads);
      }
    } else if (ThreadLocalRandom.current().nextInt(ACCESS_SAMPLE) == 0) {
      // Counted ACCESS_SAMPLE times, so that access counts stay right on average.
      access.merge(id, new long[] {ACCESS_SAMPLE, now}, DiskStore::mergeReads);
    }
  }

  /** Two records of reads of one entry as one: {reads, last read time}. */
  private static long[] mergeReads(long[] a, long[] b) {
    return new long[] {a[0] + b[0], Math.max(a[1], b[1])};
  }

  /** A read served by this process's journal: the entry is not in the database yet. */
  private byte[] journaledHit(WriteJournal.Entry entry) {
    long now = options.clock().millis();
    if (entry.expires() != 0 && now >= entry.expires()) {
      // Applying the journal drops it and counts the expiration, as a read of the database
      // would have.
      submit(new FlushOnly());
      return miss();
    }
    readHits.increment();
    if (readCounted(now)) {
      flushReadsInBackground();
    }
    return entry.frame().clone();
  }

  private byte[] miss() {
    readMisses.increment();
    // Without this a store that only misses would keep its counters in memory until close.
    if (readCounted(options.clock().millis())) {
      flushReadsInBackground();
    }
    return null;
  }

  /**
   * Writes the buffered reads on the common pool, once at a time: the get that found them due
   * returns at once instead of running that transaction (under LRU with uniform reads, one in
   * five gets' time went to it, and the unlucky get waited tens of milliseconds).
   */
  private void flushReadsInBackground() {
    // Read first: until the flush takes the buffer, every read finds it due, and a failing
    // compare-and-set still claims the cache line.
    if (!readFlushScheduled.get() && readFlushScheduled.compareAndSet(false, true)) {
      CompletableFuture.runAsync(() -> {
        try {
          if (!closed) {
            submit(new FlushOnly());
          }
        } catch (IllegalStateException closedMeanwhile) {
          // close() wrote them itself.
        } finally {
          readFlushScheduled.set(false);
        }
      });
    }
  }

  /** Counts one read; says whether the buffered reads are due to be written. */
  private boolean readCounted(long now) {
    readsSinceFlush.increment();
    if (now - lastFlushMillis >= options.accessFlushInterval().toMillis()) {
      return true;
    }
    // Summing the adder reads every thread's cell; one read in 64 is enough to notice a
    // large threshold passed.
    int every = options.accessFlushReads();
    return (every <= 64 || ThreadLocalRandom.current().nextInt(64) == 0)
        && readsSinceFlush.sum() >= every;
  }

  /** Removes a damaged entry, unless another process replaced or removed it meanwhile. */
  private void corrupt(String namespace, String digest, Row row, String what,
      Exception cause) {
    submit(new RemoveIfUnchanged(namespace, digest, row, Counter.CORRUPTIONS, what, cause));
  }

  /**
   * SQLite found a damaged page while reading this key: counted as a corruption, logged once
   * with the file and cause, and the key's row removed if SQLite still can.
   */
  private void damagedDatabase(String namespace, String digest, SQLException cause) {
    addPending(Counter.CORRUPTIONS, 1);
    logOnce("corrupt-db", Level.WARNING, describe() + ": the database " + dir.resolve(DB_FILE)
        + " is damaged (" + cause.getMessage() + "); reads that touch the damage are misses. "
        + "`cachet check` reports it; deleting the store directory (or the database file) "
        + "starts afresh", cause);
    submit(new Remove(namespace, digest, "remove"));
  }

  // ---------------------------------------------------------------------------------------
  // Writes: group commit

  /**
   * One change to run inside a group commit. {@code done}, {@code result} and {@code failed}
   * are set by the committing thread under {@link #lock}, which the owner takes before
   * reading them.
   */
  private abstract static class WriteOp {
    boolean done;
    long result;
    /** A programming error (not the store's trouble) to rethrow to the caller. */
    RuntimeException error;

    /** The operation's name for failure counts and logs. */
    abstract String name();

    /** Runs inside the batch's transaction; returns the caller's result. */
    abstract long apply(Batch batch) throws SQLException;

    /** Runs after the batch committed (files, logs). */
    void committed(Batch batch) {
    }

    /** Runs when the operation did not commit (the store's own trouble). */
    void failed() {
    }

    /** Whether it stores entries, after which the transaction sweeps and evicts. */
    boolean stores() {
      return false;
    }
  }

  /** What one group commit collects while it runs. */
  private final class Batch {
    /** Side files to delete after the commit. */
    final List<String> doomed = new ArrayList<>();
    /** Ids written by this batch: they go last in eviction. */
    final List<Long> written = new ArrayList<>();
    final long[] counts = new long[Counter.values().length];
    final long now = options.clock().millis();

    /** Notes an entry this batch stored, for eviction, the only reader of the list. */
    void wrote(long id) {
      if (options.maxBytes() > 0) {
        written.add(id);
      }
    }
  }

  /**
   * Runs {@code op} in a group commit and returns once it committed (or failed). The calling
   * thread either finds its operation already committed by another thread's batch, or runs
   * a batch itself with every operation queued meanwhile: writes from many threads share one
   * transaction and its commit.
   */
  private long submit(WriteOp op) {
    queue.add(op);
    synchronized (lock) {
      if (!op.done) {
        if (closed) {
          queue.remove(op);
          throw new IllegalStateException("The disk store " + dir + " is closed");
        }
        runQueued(op);
      }
    }
    if (op.error != null) {
      throw op.error;
    }
    return op.result;
  }

  /**
   * Commits the queue in batches of at most {@link #MAX_BATCH} until {@code own} is done; the
   * queue is FIFO, so that takes a bounded number of batches however busy other writers are.
   */
  private void runQueued(WriteOp own) {
    while (!own.done) {
      List<WriteOp> batch = new ArrayList<>();
      WriteOp next;
      while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
        batch.add(next);
      }
      if (batch.isEmpty()) {
        return; // cannot happen while own is queued; never spin
      }
      commitBatch(batch);
    }
  }

  private void commitBatch(List<WriteOp> ops) {
    try {
      runTransaction(ops);
    } catch (SQLException e) {
      if (ops.size() > 1 && !isBusy(e)) {
        // One bad operation must not cost the others their write: each gets its own try.
        for (WriteOp op : ops) {
          try {
            runTransaction(List.of(op));
          } catch (SQLException e1) {
            failOp(op, e1);
          }
        }
      } else {
        for (WriteOp op : ops) {
          failOp(op, e);
        }
      }
    }
  }

  private void failOp(WriteOp op, SQLException e) {
    op.failed();
    fail(op.name(), e);
    op.result = 0;
    op.done = true;
  }

  /** One transaction: the buffered reads, the operations, then expiry sweep and eviction. */
  private void runTransaction(List<WriteOp> ops) throws SQLException {
    Batch batch = new Batch();
    Taken taken = takePending();
    long[] results = new long[ops.size()];
    RuntimeException[] errors = new RuntimeException[ops.size()];
    WriteJournal j = journal;
    // Taken first, so that every put journaled before an operation was queued is applied
    // before it, in the same transaction: this process's removals follow its puts.
    WriteJournal.Batch journaled = j == null ? null : j.take();
    boolean wrote = journaled != null && !journaled.entries().isEmpty();
    try {
      begin();
      try {
        writePending(taken);
        if (wrote) {
          applyJournal(journaled.entries(), batch);
        }
        for (int i = 0; i < ops.size(); i++) {
          try {
            results[i] = ops.get(i).apply(batch);
          } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            errors[i] = e; // the caller's mistake, reported to that caller only
          }
          wrote |= ops.get(i).stores();
        }
        if (wrote) {
          afterWrites(batch);
        }
        // In this transaction, not the next: the last one before close has no next.
        writeCounts(batch.counts);
        commit();
      } catch (SQLException | RuntimeException e) {
        abort();
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      restorePending(taken);
      if (journaled != null && !journaled.entries().isEmpty()) {
        // Dropped, like any write that fails: kept, they would hold every later batch back.
        fail("put", e);
        finishJournal(j, journaled);
      }
      throw e;
    }
    if (journaled != null) {
      finishJournal(j, journaled);
    }
    deleteFiles(batch.doomed);
    for (int i = 0; i < ops.size(); i++) {
      WriteOp op = ops.get(i);
      op.result = results[i];
      op.error = errors[i];
      if (errors[i] == null) {
        op.committed(batch);
      }
      op.done = true;
    }
  }

  /** Triggers a group commit that writes the buffered reads (and whatever else is queued). */
  private final class FlushOnly extends WriteOp {
    @Override
    String name() {
      return "flush";
    }

    @Override
    long apply(Batch batch) {
      return 0;
    }
  }

  private final class Put extends WriteOp {
    final String namespace;
    final String digest;
    final byte[] frame;
    final long expires;
    final List<String> tags;
    final String file;

    Put(String namespace, String digest, byte[] frame, long expires, List<String> tags,
        String file) {
      this.namespace = namespace;
      this.digest = digest;
      this.frame = frame;
      this.expires = expires;
      this.tags = tags;
      this.file = file;
    }

    @Override
    String name() {
      return "put";
    }

    @Override
    boolean stores() {
      return true;
    }

    @Override
    long apply(Batch batch) throws SQLException {
      long id = upsert(namespace, digest, frame, expires, tags, file, batch.now, batch.doomed);
      batch.wrote(id);
      batch.counts[Counter.WRITES.ordinal()]++;
      return id;
    }

    @Override
    void failed() {
      deleteSideFile(file);
    }
  }

  /** The journaled puts of processes that died, replayed by {@link #open}. */
  private final class Replay extends WriteOp {
    final List<WriteJournal.Entry> entries;
    boolean committed;

    Replay(List<WriteJournal.Entry> entries) {
      this.entries = entries;
    }

    @Override
    String name() {
      return "replay journal";
    }

    @Override
    boolean stores() {
      return true;
    }

    @Override
    long apply(Batch batch) throws SQLException {
      long before = batch.counts[Counter.WRITES.ordinal()];
      applyJournal(entries, batch);
      return batch.counts[Counter.WRITES.ordinal()] - before;
    }

    @Override
    void committed(Batch batch) {
      committed = true;
    }
  }

  private final class Remove extends WriteOp {
    final String namespace;
    final String digest;
    final String name;

    Remove(String namespace, String digest, String name) {
      this.namespace = namespace;
      this.digest = digest;
      this.name = name;
    }

    @Override
    String name() {
      return name;
    }

    @Override
    long apply(Batch batch) throws SQLException {
      recordDrop("k:" + namespace + "\n" + digest);
      return deleteKey(namespace, digest, batch.doomed);
    }
  }

  /**
   * Deletes a row found expired or damaged, unless it was replaced meanwhile (as far as its
   * expiry and side file tell: a replacement usually changes one of them, and deleting one that
   * did not costs a miss, never a wrong value).
   */
  private final class RemoveIfUnchanged extends WriteOp {
    final String namespace;
    final String digest;
    final long expires;
    final String file;
    final Counter counter;
    final String what;
    final Exception cause;

    RemoveIfUnchanged(String namespace, String digest, Row row, Counter counter, String what,
        Exception cause) {
      this.namespace = namespace;
      this.digest = digest;
      this.expires = row.expires();
      this.file = row.file();
      this.counter = counter;
      this.what = what;
      this.cause = cause;
    }

    @Override
    String name() {
      return counter == Counter.EXPIRATIONS ? "expire" : "remove damaged entry";
    }

    @Override
    long apply(Batch batch) throws SQLException {
      PreparedStatement ps = statement("DELETE FROM entries WHERE namespace = ? AND digest = ? "
          + "AND expires = ? AND file IS ?");
      ps.setString(1, namespace);
      ps.setString(2, digest);
      ps.setLong(3, expires);
      ps.setString(4, file);
      long n = ps.executeUpdate();
      if (n > 0) {
        batch.counts[counter.ordinal()]++;
        if (file != null) {
          batch.doomed.add(file);
        }
      }
      return n;
    }

    @Override
    void committed(Batch batch) {
      if (result > 0 && what != null) {
        LOG.log(Level.WARNING, describe() + ": removed an unreadable entry: " + what, cause);
      }
    }
  }

  /** A bulk deletion (namespace, tag, everything) that reports how many rows it removed. */
  private final class Deletion extends WriteOp {
    final String name;
    final String scope;
    final String select;
    final String delete;
    final Object[] args;

    /** {@code scope} names what is dropped, for {@link #recordDrop}. */
    Deletion(String name, String scope, String select, String delete, Object... args) {
      this.name = name;
      this.scope = scope;
      this.select = select;
      this.delete = delete;
      this.args = args;
    }

    @Override
    String name() {
      return name;
    }

    @Override
    long apply(Batch batch) throws SQLException {
      recordDrop(scope);
      return deleteWhere(select, delete, batch.doomed, args);
    }
  }

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
    ensureOpen();
    long now = options.clock().millis();
    if (expiresAtMillis != 0 && now >= expiresAtMillis) {
      // Storing it would only hide it from reads; dropping the old value keeps put's meaning.
      remove(namespace, digest);
      return;
    }
    if (frame.length <= options.sideFileThreshold() && !options.writeBehind().isZero()) {
      WriteJournal j = journal();
      if (j != null) {
        WriteJournal.Entry entry;
        try {
          entry = j.append(namespace, digest, frame.clone(), expiresAtMillis, tagList,
              nowMicros());
        } catch (IOException e) {
          fail("put", e);
          return;
        } catch (IllegalStateException closedMeanwhile) {
          ensureOpen();
          throw closedMeanwhile;
        }
        if (entry != null) {
          try {
            j.sync(entry);
          } catch (IOException e) {
            // In the journal, and applied to the database within the write-behind delay;
            // only a power loss before then could lose it.
            fail("put", e);
          }
          journaled(j);
          return;
        } // else beyond the journal's field limits: written directly below
      }
    }
    String file = null;
    if (frame.length > options.sideFileThreshold()) {
      // Written and synced before the group commit, outside the lock, so large writes from
      // several threads overlap their I/O.
      try {
        file = writeSideFile(frame);
      } catch (IOException e) {
        fail("put", e);
        return;
      }
    }
    submit(new Put(namespace, digest, frame, expiresAtMillis, tagList, file));
  }

  /** This process's journal, created on first use; null if it cannot be. */
  private WriteJournal journal() {
    WriteJournal j = journal;
    if (j != null || journalUnavailable) {
      return j;
    }
    synchronized (journalInit) {
      if (journal == null && !journalUnavailable) {
        ensureOpen();
        try {
          journal = WriteJournal.create(journalDir, modes,
              options.durability() == Durability.POWER_LOSS);
        } catch (IOException | RuntimeException e) {
          journalUnavailable = true;
          logOnce("journal", Level.WARNING, describe() + ": cannot create a journal in "
              + journalDir + " (" + e + "); puts are written to the database directly", e);
        }
      }
      return journal;
    }
  }

  /**
   * After an append: applies the journal now when it has grown large (which also bounds its
   * memory), else makes sure an application is scheduled within the write-behind delay.
   */
  private void journaled(WriteJournal j) {
    if (j.holdsAtLeast(JOURNAL_BATCH, JOURNAL_BATCH_BYTES)) {
      submit(new FlushOnly());
    } else if (applyScheduled.compareAndSet(false, true)) {
      CompletableFuture.delayedExecutor(options.writeBehind().toNanos(), TimeUnit.NANOSECONDS)
          .execute(this::applyScheduledJournal);
    }
  }

  private void applyScheduledJournal() {
    applyScheduled.set(false);
    WriteJournal j = journal;
    if (closed || j == null || !j.hasPending()) {
      return;
    }
    try {
      submit(new FlushOnly());
    } catch (IllegalStateException closedMeanwhile) {
      // close() applied the journal itself.
    }
  }

  private void finishJournal(WriteJournal j, WriteJournal.Batch journaled) {
    try {
      j.finish(journaled);
    } catch (IOException e) {
      fail("journal", e);
    }
  }

  /** Wall-clock time in microseconds: the order of journaled puts and removals. */
  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /**
   * Writes journaled puts inside the caller's transaction, oldest first, except those that a
   * removal recorded in {@code drops} followed: a removal by another process of the key, its
   * namespace, one of its tags or everything, made after the put was journaled here but
   * before it reached the database, wins, as it would have had the put been written at once.
   * Puts older than {@link #DROP_RETENTION_MICROS} (a dead process's journal replayed late)
   * are dropped, since removals that old are forgotten.
   */
  private void applyJournal(List<WriteJournal.Entry> entries, Batch batch)
      throws SQLException {
    long oldest = Long.MAX_VALUE;
    for (WriteJournal.Entry e : entries) {
      oldest = Math.min(oldest, e.timeMicros());
    }
    Map<String, Long> drops = new HashMap<>();
    PreparedStatement ps = statement("SELECT scope, at FROM drops WHERE at > ?");
    ps.setLong(1, oldest);
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        drops.put(rs.getString(1), rs.getLong(2));
      }
    }
    long horizon = nowMicros() - DROP_RETENTION_MICROS;
    // Only the newest put of a key matters: the older ones would be overwritten in this very
    // transaction (and a removal that covers the newest covers them too).
    Set<List<String>> seen = new HashSet<>();
    List<WriteJournal.Entry> newest = new ArrayList<>(entries.size());
    for (int i = entries.size() - 1; i >= 0; i--) {
      WriteJournal.Entry e = entries.get(i);
      if (seen.add(List.of(e.namespace(), e.digest()))) {
        newest.add(e);
      } else {
        batch.counts[Counter.WRITES.ordinal()]++; // stored, then replaced
      }
    }
    for (int i = newest.size() - 1; i >= 0; i--) {
      WriteJournal.Entry e = newest.get(i);
      if (e.timeMicros() < horizon || (!drops.isEmpty() && droppedAfter(drops, e))) {
        continue;
      }
      if (e.expires() != 0 && batch.now >= e.expires()) {
        // Expired while journaled: it was stored and has expired; the old value goes too.
        deleteKey(e.namespace(), e.digest(), batch.doomed);
        batch.counts[Counter.EXPIRATIONS.ordinal()]++;
        continue;
      }
      batch.wrote(upsert(e.namespace(), e.digest(), e.frame(), e.expires(), e.tags(), null,
          batch.now, batch.doomed));
      batch.counts[Counter.WRITES.ordinal()]++;
    }
  }

  private static boolean droppedAfter(Map<String, Long> drops, WriteJournal.Entry e) {
    long t = e.timeMicros();
    if (drops.getOrDefault("*", Long.MIN_VALUE) > t
        || drops.getOrDefault("n:" + e.namespace(), Long.MIN_VALUE) > t
        || drops.getOrDefault("k:" + e.namespace() + "\n" + e.digest(), Long.MIN_VALUE) > t) {
      return true;
    }
    for (String tag : e.tags()) {
      if (drops.getOrDefault("t:" + tag, Long.MIN_VALUE) > t) {
        return true;
      }
    }
    return false;
  }

  /**
   * Remembers a removal for journaled puts made before it, in this process or another (see
   * {@link #applyJournal}); forgets removals older than {@link #DROP_RETENTION_MICROS} now
   * and then. Inside the caller's transaction.
   */
  private void recordDrop(String scope) throws SQLException {
    long now = nowMicros();
    PreparedStatement ps = statement("INSERT INTO drops(scope, at) VALUES (?, ?) "
        + "ON CONFLICT(scope) DO UPDATE SET at = MAX(at, excluded.at)");
    ps.setString(1, scope);
    ps.setLong(2, now);
    ps.executeUpdate();
    long nowMillis = now / 1000;
    if (nowMillis - lastDropPruneMillis >= 60_000) {
      lastDropPruneMillis = nowMillis;
      PreparedStatement prune = statement("DELETE FROM drops WHERE at < ?");
      prune.setLong(1, now - DROP_RETENTION_MICROS);
      prune.executeUpdate();
    }
  }

  /**
   * Replays the journals of processes that stopped without applying them (killed, or their
   * last write failed), in one transaction, then deletes them. A failure is counted and
   * leaves them for the next open.
   */
  private void replayOrphanJournals() {
    try (WriteJournal.Orphans orphans = WriteJournal.orphans(journalDir)) {
      if (orphans.paths().isEmpty()) {
        return;
      }
      Replay replay = new Replay(orphans.entries());
      if (!orphans.entries().isEmpty()) {
        submit(replay); // a failure is counted and logged by the group commit
        if (!replay.committed) {
          return; // the journals stay for the next open
        }
      }
      orphans.discard();
      // Empty journals are what a process killed between batches leaves: not news.
      Level level = orphans.entries().isEmpty() ? Level.DEBUG : Level.INFO;
      LOG.log(level, describe() + ": replayed " + orphans.entries().size()
          + " journaled puts (" + replay.result + " applied) from " + orphans.paths().size()
          + " journal files of processes that stopped");
    } catch (IOException e) {
      fail("replay journal", e);
    }
  }


  private static void applyJournalsAtExit() {
    List<DiskStore> stores;
    synchronized (OPEN) {
      stores = new ArrayList<>(OPEN);
    }
    for (DiskStore store : stores) {
      WriteJournal j = store.journal;
      if (store.closed || j == null || !j.hasPending()) {
        continue;
      }
      try {
        store.flush();
      } catch (RuntimeException e) {
        // Closed meanwhile, or failing: the journal stays for the next open to replay.
      }
    }
  }

  /** Applies this process's journaled puts now, so the database holds them. Under the lock. */
  private void applyJournalNow() {
    WriteJournal j = journal;
    if (j != null && j.hasPending()) {
      flushNow();
    }
  }

  /** The writer's prepared statement for {@code sql}, prepared once. Under {@link #lock}. */
  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = conn.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /**
   * Stores a row at its key's rowid, replacing in place the key's previous row (see
   * createSchema). The {@code WHERE} leaves alone a row of another key at that rowid, and the
   * statement then changes nothing (see {@link #upsert}).
   */
  private static final String UPSERT_SQL = "INSERT INTO entries(id, namespace, digest, "
      + "size, created, accessed, expires, access_count, tags, value, file, keycheck) "
      + "VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, 1, ?7, ?8, ?9, ?10) ON CONFLICT(id) "
      + "DO UPDATE SET size = excluded.size, created = excluded.created, "
      + "accessed = excluded.accessed, expires = excluded.expires, access_count = 1, "
      + "tags = excluded.tags, value = excluded.value, file = excluded.file, "
      + "keycheck = excluded.keycheck "
      + "WHERE namespace = excluded.namespace AND digest = excluded.digest";

  /** Stores a row and indexes its tags; returns its rowid. */
  private long upsert(String namespace, String digest, byte[] frame, long expires,
      List<String> tags, String file, long now, List<String> doomed) throws SQLException {
    long[] hashes = new long[2];
    EntryKeys.hash(namespace, digest, hashes);
    long id = hashes[0];
    PreparedStatement ps = statement(UPSERT_SQL);
    ps.setLong(1, id);
    ps.setString(2, namespace);
    ps.setString(3, digest);
    ps.setLong(4, frame.length);
    ps.setLong(5, now);
    ps.setLong(6, expires);
    ps.setString(7, String.join("\n", tags));
    ps.setBytes(8, file == null ? frame : null);
    ps.setString(9, file);
    ps.setLong(10, hashes[1]);
    boolean stored;
    try {
      stored = ps.executeUpdate() > 0;
    } catch (SQLException e) {
      if ((e.getErrorCode() & 0xFF) != SQLITE_CONSTRAINT) {
        throw e;
      }
      // The key has a row at another rowid: written by a process of an earlier version that
      // still has the store open (see migrateToHashedRowids).
      stored = false;
    }
    if (!stored) {
      // The rowid holds another key whose hash is the same, or the key's row sits elsewhere:
      // both give way (a miss for the other key), and the insert then finds the place free.
      deleteWhere("SELECT file FROM entries WHERE id = ? AND file IS NOT NULL",
          "DELETE FROM entries WHERE id = ?", doomed, id);
      deleteKey(namespace, digest, doomed);
      if (ps.executeUpdate() == 0) {
        throw new SQLException("the entry (" + namespace + ", " + digest + ") could not be "
            + "stored at rowid " + id + " after clearing it");
      }
    }
    if (!tags.isEmpty()) {
      PreparedStatement tp = statement(
          "INSERT OR IGNORE INTO entry_tags(tag, entry_id) VALUES (?, ?)");
      for (String tag : tags) {
        tp.setString(1, tag);
        tp.setLong(2, id);
        tp.executeUpdate();
      }
    }
    return id;
  }

  /** Deletes rows selected by {@code where}; collects their side files for after the commit. */
  private long deleteWhere(String select, String delete, List<String> doomed, Object... args)
      throws SQLException {
    PreparedStatement sel = statement(select);
    bind(sel, args);
    try (ResultSet rs = sel.executeQuery()) {
      while (rs.next()) {
        doomed.add(rs.getString(1));
      }
    }
    PreparedStatement del = statement(delete);
    bind(del, args);
    return del.executeUpdate();
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }

  private long deleteKey(String namespace, String digest, List<String> doomed)
      throws SQLException {
    // One statement instead of a SELECT for the side file and then a DELETE.
    PreparedStatement ps = statement("DELETE FROM entries WHERE namespace = ? AND digest = ? "
        + "RETURNING file");
    ps.setString(1, namespace);
    ps.setString(2, digest);
    long n = 0;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        n++;
        String file = rs.getString(1);
        if (file != null) {
          doomed.add(file);
        }
      }
    }
    return n;
  }

  /** What every transaction that stored entries does before it commits. */
  private void afterWrites(Batch batch) throws SQLException {
    batch.counts[Counter.EXPIRATIONS.ordinal()] += sweepExpired(batch.now, batch.doomed);
    batch.counts[Counter.EVICTIONS.ordinal()] += evict(batch.doomed, batch.written);
    drainDoomedFiles(batch.doomed);
  }

  /** Takes the side files that replaced rows named (see createSchema), for after the commit. */
  private void drainDoomedFiles(List<String> doomed) throws SQLException {
    PreparedStatement ps = statement("DELETE FROM doomed_files RETURNING file");
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        doomed.add(rs.getString(1));
      }
    }
  }

  private long sweepExpired(long now, List<String> doomed) throws SQLException {
    if (options.sweepLimit() == 0) {
      return 0;
    }
    // A covering-index probe first: the DELETE below costs about a quarter of a put even when
    // nothing has expired (measured), and usually nothing has.
    PreparedStatement probe = statement(
        "SELECT 1 FROM entries WHERE expires > 0 AND expires <= ? LIMIT 1");
    probe.setLong(1, now);
    try (ResultSet rs = probe.executeQuery()) {
      if (!rs.next()) {
        return 0;
      }
    }
    PreparedStatement ps = statement("DELETE FROM entries WHERE id IN (SELECT id FROM entries "
        + "WHERE expires > 0 AND expires <= ? LIMIT ?) RETURNING file");
    ps.setLong(1, now);
    ps.setLong(2, options.sweepLimit());
    long n = 0;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        n++;
        String file = rs.getString(1);
        if (file != null) {
          doomed.add(file);
        }
      }
    }
    return n;
  }

  /**
   * Rows at most this many: eviction orders the whole table exactly. Beyond it, each round
   * orders a sample of {@value #EVICTION_SAMPLE} rows ({@value #EVICTION_WINDOWS} windows of
   * consecutive rows, each from a random rowid), as Redis approximates LRU: no index on write
   * or access times is then needed (see createSchema), and a round costs the same at any store
   * size.
   */
  static final int EXACT_EVICTION_ROWS = 512;
  static final int EVICTION_SAMPLE = 128;
  /** The sample is this many windows of consecutive rows, each from a random rowid. */
  static final int EVICTION_WINDOWS = 8;
  /** Victims taken from one sample at most, so that the next round samples elsewhere. */
  private static final int VICTIMS_PER_SAMPLE = 4;

  /**
   * Evicts until the store is within its limit. The entries just written go last: under LFU
   * they have the fewest reads of all and would otherwise always be the victims.
   *
   * <p>Least recently stored orders by {@code created}, LRU by {@code accessed} and LFU by
   * {@code access_count} then {@code accessed}: exactly in small stores, by sampling in large
   * ones.
   */
  private long evict(List<String> doomed, List<Long> justWritten) throws SQLException {
    if (options.maxBytes() == 0) {
      return 0;
    }
    Set<Long> spared = new HashSet<>(justWritten);
    long evicted = 0;
    while (true) {
      long excess = counter("bytes") - options.maxBytes();
      if (excess <= 0) {
        return evicted;
      }
      long rows = counter("entries");
      // The new entries are only taken when nothing else is left (they alone exceed the
      // limit).
      boolean onlyNew = rows <= spared.size();
      List<long[]> candidates = new ArrayList<>(); // id, size, key1, key2
      List<String> files = new ArrayList<>();
      boolean ordered = rows <= EXACT_EVICTION_ROWS;
      String sql;
      if (ordered) {
        sql = "SELECT id, size, file, " + sortColumns() + " FROM entries ORDER BY "
            + sortColumns().replace(", 0", "") + ", id LIMIT " + (32 + spared.size());
      } else {
        // Several short windows rather than one long one: rowids follow the order keys were
        // first stored, so one window from a random start often holds only recent keys, and
        // the sample would then evict fresh entries while old unread ones stay.
        long min = scalarOn("SELECT COALESCE(MIN(id), 0) FROM entries");
        long max = scalarOn("SELECT COALESCE(MAX(id), 0) FROM entries");
        StringBuilder union = new StringBuilder();
        int windowRows = EVICTION_SAMPLE / EVICTION_WINDOWS;
        for (int w = 0; w < EVICTION_WINDOWS; w++) {
          long start = min < max ? ThreadLocalRandom.current().nextLong(min, max) : min;
          union.append(w == 0 ? "" : " UNION ALL ").append("SELECT * FROM (SELECT id, size, "
              + "file, ").append(sortColumns()).append(" FROM entries WHERE id >= ")
              .append(start).append(" ORDER BY id LIMIT ").append(windowRows).append(')');
        }
        sql = union.toString();
      }
      Set<Long> seen = new HashSet<>();
      try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          long id = rs.getLong(1);
          if ((!onlyNew && spared.contains(id)) || !seen.add(id)) {
            continue;
          }
          candidates.add(new long[] {id, rs.getLong(2), rs.getLong(4), rs.getLong(5),
              files.size()});
          files.add(rs.getString(3));
        }
      }
      if (!ordered) {
        candidates.sort((a, b) -> a[2] != b[2] ? Long.compare(a[2], b[2])
            : a[3] != b[3] ? Long.compare(a[3], b[3]) : Long.compare(a[0], b[0]));
      }
      if (candidates.isEmpty()) {
        if (!ordered) {
          continue; // sampled past the last row; sample again
        }
        if (!onlyNew && !spared.isEmpty()) {
          spared.clear(); // only new entries are left; they go in order too
          continue;
        }
        return evicted; // the totals disagree with the rows; nothing left to evict
      }
      PreparedStatement ps = statement("DELETE FROM entries WHERE id = ?");
      int taken = 0;
      for (long[] victim : candidates) {
        if (excess <= 0 || (!ordered && taken == VICTIMS_PER_SAMPLE)) {
          break;
        }
        ps.setLong(1, victim[0]);
        ps.executeUpdate();
        excess -= victim[1];
        String file = files.get((int) victim[4]);
        if (file != null) {
          doomed.add(file);
        }
        taken++;
        evicted++;
      }
    }
  }

  /** The policy's order as two columns for {@link #evict}. */
  private String sortColumns() {
    switch (options.eviction()) {
      case LFU:
        return "access_count, accessed";
      case LRU:
        return "accessed, 0";
      default:
        return "created, 0";
    }
  }

  private long scalarOn(String sql) throws SQLException {
    PreparedStatement ps = statement(sql);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private long counter(String name) throws SQLException {
    PreparedStatement ps = statement("SELECT value FROM counters WHERE name = ?");
    ps.setString(1, name);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  @Override
  public boolean remove(String namespace, String digest) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(digest, "digest");
    ensureOpen();
    return submit(new Remove(namespace, digest, "remove")) > 0;
  }

  @Override
  public long removeNamespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    ensureOpen();
    return submit(new Deletion("removeNamespace", "n:" + namespace,
        "SELECT file FROM entries WHERE namespace = ? AND file IS NOT NULL",
        "DELETE FROM entries WHERE namespace = ?", namespace));
  }

  @Override
  public long removeTag(String tag) {
    Objects.requireNonNull(tag, "tag");
    ensureOpen();
    String ids = "SELECT entry_id FROM entry_tags WHERE tag = ?";
    return submit(new Deletion("removeTag", "t:" + tag,
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
    ensureOpen();
    return submit(new Deletion("clear", "*", "SELECT file FROM entries WHERE file IS NOT NULL",
        "DELETE FROM entries"));
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
    Objects.requireNonNull(minAge, "minAge");
    synchronized (lock) {
      ensureOpen();
      long cutoff = System.currentTimeMillis() - minAge.toMillis();
      List<Path> candidates = new ArrayList<>();
      try (Stream<Path> files = Files.list(filesDir)) {
        for (Path path : (Iterable<Path>) files::iterator) {
          FileTime modified;
          try {
            modified = Files.getLastModifiedTime(path);
          } catch (NoSuchFileException renamedOrRemoved) {
            // Another process finished (renamed) or removed it since the listing: not an orphan.
            continue;
          }
          if (modified.toMillis() <= cutoff) {
            candidates.add(path);
          }
        }
        if (candidates.isEmpty()) {
          return 0;
        }
        Set<String> named = new HashSet<>();
        try (Statement s = conn.createStatement();
            ResultSet rs = s.executeQuery("SELECT file FROM entries WHERE file IS NOT NULL")) {
          while (rs.next()) {
            named.add(rs.getString(1));
          }
        }
        long deleted = 0;
        for (Path path : candidates) {
          if (!named.contains(path.getFileName().toString())) {
            Files.deleteIfExists(path);
            deleted++;
          }
        }
        if (deleted > 0) {
          LOG.log(Level.INFO, describe() + ": deleted " + deleted + " orphaned side files");
        }
        return deleted;
      } catch (IOException | SQLException | java.io.UncheckedIOException e) {
        fail("removeOrphanFiles", e);
        return 0;
      }
    }
  }

  /**
   * The digests of up to {@code limit} live (unexpired) entries of {@code namespace}, without
   * reading their values or changing access times.
   */
  @Override
  public List<String> digests(String namespace, int limit) {
    Objects.requireNonNull(namespace, "namespace");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, got " + limit);
    }
    List<String> out = new ArrayList<>();
    if (limit == 0) {
      return out;
    }
    synchronized (lock) {
      ensureOpen();
      applyJournalNow();
      try (PreparedStatement ps = conn.prepareStatement("SELECT digest FROM entries"
          + " WHERE namespace = ? AND (expires = 0 OR expires > ?) LIMIT ?")) {
        ps.setString(1, namespace);
        ps.setLong(2, options.clock().millis());
        ps.setInt(3, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      } catch (SQLException e) {
        fail("digests", e);
      }
    }
    return out;
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
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    synchronized (lock) {
      ensureOpen();
      applyJournalNow();
      List<EntryInfo> result = new ArrayList<>();
      StringBuilder sql = new StringBuilder("SELECT namespace, digest, size, created, accessed, "
          + "expires, access_count, tags, value, file FROM entries WHERE 1 = 1");
      List<Object> args = new ArrayList<>();
      if (namespaceOrNull != null) {
        sql.append(" AND namespace = ?");
        args.add(namespaceOrNull);
      }
      if (digestOrNull != null) {
        sql.append(" AND digest = ?");
        args.add(digestOrNull);
      }
      sql.append(" ORDER BY created, id LIMIT ?");
      args.add(limit);
      try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
        bind(ps, args.toArray());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String tagText = rs.getString(8);
            List<String> tags = tagText == null || tagText.isEmpty() ? List.of()
                : List.of(tagText.split("\n", -1));
            String file = rs.getString(10);
            String codec = null;
            String type = null;
            long payload = -1;
            String problem = null;
            try {
              EntryFrame f = EntryFrame.decode(readStored(rs.getBytes(9), file));
              codec = f.codecId();
              type = f.typeFingerprint();
              payload = f.payloadLength();
            } catch (CorruptEntryException e) {
              problem = e.getMessage();
            } catch (NoSuchFileException e) {
              problem = "the side file " + filesDir.resolve(file) + " is missing";
            } catch (IOException e) {
              problem = "cannot read the side file " + filesDir.resolve(file) + ": " + e;
            }
            result.add(new EntryInfo(rs.getString(1), rs.getString(2), rs.getLong(3),
                rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), tags, file, codec,
                type, payload, problem));
          }
        }
      } catch (SQLException e) {
        fail("entries", e);
      }
      return result;
    }
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
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(digest, "digest");
    synchronized (lock) {
      ensureOpen();
      applyJournalNow();
      try (PreparedStatement ps = conn.prepareStatement(
          "SELECT value, file FROM entries WHERE namespace = ? AND digest = ?")) {
        ps.setString(1, namespace);
        ps.setString(2, digest);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? EntryFrame.decode(readStored(rs.getBytes(1), rs.getString(2)))
              : null;
        }
      } catch (CorruptEntryException | IOException e) {
        return null;
      } catch (SQLException e) {
        fail("peek", e);
        return null;
      }
    }
  }

  /** The frame bytes of a row: inline, or read from its side file. */
  private byte[] readStored(byte[] inline, String file) throws IOException {
    if (file != null) {
      Path path = sideFile(file);
      if (path == null) {
        throw new IOException("the entry names a side file that is not one of the store's");
      }
      return Files.readAllBytes(path);
    }
    return inline == null ? new byte[0] : inline;
  }

  /**
   * Verifies the whole store: SQLite's {@code quick_check}, every entry (the frame decodes with
   * its checksum, the side file exists, the recorded size matches), side files no row names,
   * the tag index, and the entry and byte totals. With {@code fix}, damaged entries and
   * orphaned files are deleted and the totals recomputed; a damaged database file is only
   * reported (repairing it is beyond a cache; deleting the directory is the remedy).
   *
   * <p>Orphans are judged regardless of age, because a person asked for the check, except
   * {@code .tmp} files younger than {@link #CHECK_TMP_GRACE}: another process may be writing
   * them right now. Entries of a newer frame format are left alone, as by {@link #get}.
   *
   * <p>Never throws for the store's trouble: a step that fails is reported as
   * {@link CheckReport.Kind#CHECK_FAILED}.
   *
   * @param fix whether to repair what can be repaired
   * @return what was found and fixed
   */
  public CheckReport check(boolean fix) {
    synchronized (lock) {
      ensureOpen();
      // Buffered reads would otherwise be written after the totals were recomputed.
      flushNow();
      List<CheckReport.Problem> problems = new ArrayList<>();
      checkDatabase(problems);
      long entriesChecked = checkEntries(fix, problems);
      long filesChecked = checkOrphans(fix, problems);
      checkIndexAndCounters(fix, problems);
      return new CheckReport(problems, entriesChecked, filesChecked);
    }
  }

  /**
   * A {@code .tmp} side file younger than this may be another process's write in progress, so
   * {@link #check} leaves it alone.
   */
  static final Duration CHECK_TMP_GRACE = Duration.ofMinutes(1);

  private void checkDatabase(List<CheckReport.Problem> problems) {
    try (Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
      while (rs.next()) {
        String line = rs.getString(1);
        if (!"ok".equalsIgnoreCase(line)) {
          problems.add(new CheckReport.Problem(CheckReport.Kind.DATABASE, null,
              dir.resolve(DB_FILE).toString(), "SQLite quick_check: " + line, false));
        }
      }
    } catch (SQLException e) {
      problems.add(new CheckReport.Problem(CheckReport.Kind.DATABASE, null,
          dir.resolve(DB_FILE).toString(), "SQLite quick_check failed: " + e.getMessage(),
          false));
    }
  }

  /** A damaged entry found by {@link #checkEntries}, kept until the scan is done. */
  private record Damage(long id, String namespace, String digest, String file,
      CheckReport.Kind kind, String detail) {
  }

  private long checkEntries(boolean fix, List<CheckReport.Problem> problems) {
    List<Damage> damaged = new ArrayList<>();
    long checked = 0;
    // Collected first and deleted afterwards: deleting while the cursor walks the same table
    // is not something to rely on.
    try (Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT id, namespace, digest, size, value, file FROM entries ORDER BY id")) {
      while (rs.next()) {
        checked++;
        long id = rs.getLong(1);
        String ns = rs.getString(2);
        String digest = rs.getString(3);
        long size = rs.getLong(4);
        String file = rs.getString(6);
        if (file != null && sideFile(file) == null) {
          damaged.add(new Damage(id, ns, digest, file, CheckReport.Kind.CORRUPT_ENTRY,
              "the row names a side file that is not one of the store's (left alone)"));
          continue;
        }
        byte[] bytes;
        try {
          bytes = readStored(rs.getBytes(5), file);
        } catch (NoSuchFileException e) {
          damaged.add(new Damage(id, ns, digest, file, CheckReport.Kind.MISSING_SIDE_FILE,
              "the side file " + filesDir.resolve(file) + " is missing"));
          continue;
        } catch (IOException e) {
          problems.add(new CheckReport.Problem(CheckReport.Kind.CHECK_FAILED, ns, digest,
              "cannot read the side file " + filesDir.resolve(file) + ": " + e, false));
          continue;
        }
        try {
          EntryFrame.decode(bytes);
        } catch (CorruptEntryException e) {
          if (e.reason() != CorruptEntryException.Reason.NEWER_FORMAT) {
            damaged.add(new Damage(id, ns, digest, file, CheckReport.Kind.CORRUPT_ENTRY,
                (file == null ? "inline frame: " : "side file " + filesDir.resolve(file) + ": ")
                    + e.getMessage()));
          }
          continue;
        }
        if (bytes.length != size) {
          damaged.add(new Damage(id, ns, digest, file, CheckReport.Kind.SIZE_MISMATCH,
              "the row records " + size + " bytes, the frame has " + bytes.length));
        }
      }
    } catch (SQLException e) {
      problems.add(new CheckReport.Problem(CheckReport.Kind.CHECK_FAILED, null, null,
          "cannot read the entries: " + e.getMessage(), false));
    }
    for (Damage d : damaged) {
      boolean fixed = false;
      if (fix) {
        try {
          if (deleteIfUnchanged(d.id(), d.file())) {
            addPending(Counter.CORRUPTIONS, 1);
            deleteSideFile(d.file());
          }
          fixed = true; // removed by us, or replaced/removed by another process meanwhile
        } catch (SQLException e) {
          fail("check", e);
        }
      }
      problems.add(new CheckReport.Problem(d.kind(), d.namespace(), d.digest(), d.detail(),
          fixed));
    }
    return checked;
  }

  private long checkOrphans(boolean fix, List<CheckReport.Problem> problems) {
    long tmpCutoff = System.currentTimeMillis() - CHECK_TMP_GRACE.toMillis();
    List<Path> listed = new ArrayList<>();
    // Listed before the rows are read: a file renamed and committed in between is then found
    // named, never taken for an orphan.
    try (Stream<Path> files = Files.list(filesDir)) {
      files.forEach(listed::add);
    } catch (IOException | java.io.UncheckedIOException e) {
      problems.add(new CheckReport.Problem(CheckReport.Kind.CHECK_FAILED, null,
          filesDir.toString(), "cannot list the side files: " + e, false));
      return 0;
    }
    Set<String> named = new HashSet<>();
    try (Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("SELECT file FROM entries WHERE file IS NOT NULL")) {
      while (rs.next()) {
        named.add(rs.getString(1));
      }
    } catch (SQLException e) {
      problems.add(new CheckReport.Problem(CheckReport.Kind.CHECK_FAILED, null, null,
          "cannot read the side file names: " + e.getMessage(), false));
      return listed.size();
    }
    for (Path path : listed) {
      String name = path.getFileName().toString();
      if (named.contains(name)) {
        continue;
      }
      if (name.endsWith(".tmp")) {
        try {
          if (Files.getLastModifiedTime(path).toMillis() > tmpCutoff) {
            continue; // possibly another process's write in progress
          }
        } catch (IOException e) {
          continue; // gone already: renamed into place or removed by its writer
        }
      }
      boolean fixed = false;
      if (fix) {
        try {
          Files.deleteIfExists(path);
          fixed = true;
        } catch (IOException e) {
          fail("check", e);
        }
      }
      long size;
      try {
        size = fixed ? -1 : Files.size(path);
      } catch (IOException e) {
        size = -1;
      }
      problems.add(new CheckReport.Problem(CheckReport.Kind.ORPHAN_FILE, null, path.toString(),
          "no entry names this file" + (size >= 0 ? " (" + size + " bytes)" : ""), fixed));
    }
    return listed.size();
  }

  private void checkIndexAndCounters(boolean fix, List<CheckReport.Problem> problems) {
    // Reported only once the transaction committed, so "fixed" is never claimed in vain.
    List<CheckReport.Problem> found = new ArrayList<>();
    try {
      begin();
      try {
        long dangling = scalar("SELECT COUNT(*) FROM entry_tags WHERE entry_id NOT IN "
            + "(SELECT id FROM entries)");
        if (dangling > 0) {
          if (fix) {
            try (Statement s = conn.createStatement()) {
              s.executeUpdate("DELETE FROM entry_tags WHERE entry_id NOT IN "
                  + "(SELECT id FROM entries)");
            }
          }
          found.add(new CheckReport.Problem(CheckReport.Kind.DANGLING_TAGS, null, null,
              dangling + " tag rows name entries that no longer exist", fix));
        }
        long rows = scalar("SELECT COUNT(*) FROM entries");
        long bytes = scalar("SELECT COALESCE(SUM(size), 0) FROM entries");
        long storedRows = counter("entries");
        long storedBytes = counter("bytes");
        if (rows != storedRows || bytes != storedBytes) {
          if (fix) {
            try (PreparedStatement ps = conn.prepareStatement(
                "UPDATE counters SET value = ? WHERE name = ?")) {
              ps.setLong(1, rows);
              ps.setString(2, "entries");
              ps.addBatch();
              ps.setLong(1, bytes);
              ps.setString(2, "bytes");
              ps.addBatch();
              ps.executeBatch();
            }
          }
          found.add(new CheckReport.Problem(CheckReport.Kind.COUNTERS, null, null,
              "the totals say " + storedRows + " entries and " + storedBytes + " bytes, the "
                  + "rows hold " + rows + " entries and " + bytes + " bytes", fix));
        }
        commit();
        problems.addAll(found);
      } catch (SQLException | RuntimeException e) {
        abort();
        throw e;
      }
    } catch (SQLException e) {
      problems.add(new CheckReport.Problem(CheckReport.Kind.CHECK_FAILED, null, null,
          "cannot check the totals: " + e.getMessage(), false));
    }
  }

  private long scalar(String sql) throws SQLException {
    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** For {@link #check}: deletes a row unless another process replaced it. Under the lock. */
  private boolean deleteIfUnchanged(long id, String file) throws SQLException {
    PreparedStatement ps = statement("DELETE FROM entries WHERE id = ? AND file IS ?");
    ps.setLong(1, id);
    ps.setString(2, file);
    return ps.executeUpdate() > 0;
  }

  @Override
  public StoreStats stats() {
    // Under the lock no group commit is between taking the buffered counters and committing
    // them, so the database's and the buffer's counts never overlap or miss each other.
    synchronized (lock) {
      ensureOpen();
      applyJournalNow();
      Map<String, Long> db = new HashMap<>();
      try (Statement s = conn.createStatement();
          ResultSet rs = s.executeQuery("SELECT name, value FROM counters")) {
        while (rs.next()) {
          db.put(rs.getString(1), rs.getLong(2));
        }
      } catch (SQLException e) {
        fail("stats", e);
      }
      long[] c = new long[Counter.values().length];
      synchronized (pendingLock) {
        for (Counter counter : Counter.values()) {
          c[counter.ordinal()] = db.getOrDefault(counter.name().toLowerCase(), 0L)
              + pending[counter.ordinal()];
        }
      }
      c[Counter.HITS.ordinal()] += readHits.sum();
      c[Counter.MISSES.ordinal()] += readMisses.sum();
      return new StoreStats(db.getOrDefault("entries", 0L), db.getOrDefault("bytes", 0L),
          c[Counter.HITS.ordinal()], c[Counter.MISSES.ordinal()], c[Counter.WRITES.ordinal()],
          c[Counter.EVICTIONS.ordinal()], c[Counter.EXPIRATIONS.ordinal()],
          c[Counter.CORRUPTIONS.ordinal()], c[Counter.FAILURES.ordinal()]);
    }
  }

  /**
   * Writes journaled puts, buffered reads and counters to the database now, instead of
   * within the write-behind delay or at the next batch boundary. Never throws; a failure is
   * counted.
   */
  public void flush() {
    ensureOpen();
    submit(new FlushOnly());
  }

  /** Writes the buffered reads in a transaction of their own. Under the lock. */
  private void flushNow() {
    try {
      runTransaction(List.of());
    } catch (SQLException e) {
      fail("flush", e);
    }
  }

  /** Buffered reads and counters taken out of the buffer for one transaction. */
  private record Taken(Map<Long, long[]> access, long[] counts) {
  }

  private void addPending(Counter counter, long delta) {
    synchronized (pendingLock) {
      pending[counter.ordinal()] += delta;
    }
  }

  /**
   * Takes the buffered reads and counters for the transaction about to run; readers keep
   * buffering into fresh ones meanwhile. Under the lock.
   */
  private Taken takePending() {
    synchronized (pendingLock) {
      long[] counts = pending.clone();
      Arrays.fill(pending, 0);
      // Each cell is taken with an atomic swap: no count racing with this is lost.
      counts[Counter.HITS.ordinal()] += readHits.sumThenReset();
      counts[Counter.MISSES.ordinal()] += readMisses.sumThenReset();
      readsSinceFlush.reset();
      Taken taken = new Taken(pendingAccess, counts);
      pendingAccess = new ConcurrentHashMap<>();
      lastFlushMillis = options.clock().millis();
      return taken;
    }
  }

  /** Puts back what a failed transaction did not write. */
  private void restorePending(Taken taken) {
    synchronized (pendingLock) {
      for (int i = 0; i < pending.length; i++) {
        pending[i] += taken.counts()[i];
      }
      if (pendingAccess.size() + taken.access().size() <= MAX_PENDING_ACCESS) {
        taken.access().forEach((id, access) -> pendingAccess.merge(id, access,
            DiskStore::mergeReads));
      } // else dropped: reads only steer eviction, and memory must stay bounded
    }
  }

  /** Writes buffered reads and counters inside the caller's transaction. */
  private void writePending(Taken taken) throws SQLException {
    if (!taken.access().isEmpty()) {
      // One statement for the whole batch, its rows passed as one JSON array of
      // [id, reads, last read] triples: thousands of executions of a one-row UPDATE cost
      // more in driver round trips than SQLite's work.
      StringBuilder json = new StringBuilder(taken.access().size() * 32).append('[');
      for (Map.Entry<Long, long[]> e : taken.access().entrySet()) {
        if (json.length() > 1) {
          json.append(',');
        }
        json.append('[').append(e.getKey()).append(',').append(e.getValue()[0]).append(',')
            .append(e.getValue()[1]).append(']');
      }
      PreparedStatement ps = statement("UPDATE entries SET access_count = access_count + a.n, "
          + "accessed = MAX(accessed, a.t) FROM (SELECT value ->> 0 AS id, value ->> 1 AS n, "
          + "value ->> 2 AS t FROM json_each(?)) AS a WHERE entries.id = a.id");
      ps.setString(1, json.append(']').toString());
      ps.executeUpdate();
    }
    writeCounts(taken.counts());
  }

  /** Adds counts to the database's counters inside the caller's transaction. */
  private void writeCounts(long[] counts) throws SQLException {
    for (Counter counter : Counter.values()) {
      if (counts[counter.ordinal()] != 0) {
        PreparedStatement ps = statement("UPDATE counters SET value = value + ? WHERE name = ?");
        ps.setLong(1, counts[counter.ordinal()]);
        ps.setString(2, counter.name().toLowerCase());
        ps.executeUpdate();
      }
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      OPEN.remove(this);
      WriteJournal j;
      synchronized (journalInit) {
        j = journal;
        journalUnavailable = true; // no journal is created after this
      }
      flushNow();
      if (j != null) {
        // Kept when its last records could not be applied: the next open replays them.
        j.close(!j.hasPending());
      }
      Reader reader;
      while ((reader = idleReaders.pollFirst()) != null) {
        idleCount.decrementAndGet();
        reader.close();
      }
      for (PreparedStatement ps : statements.values()) {
        try {
          ps.close();
        } catch (SQLException e) {
          // The connection's close below releases it.
        }
      }
      statements.clear();
      closeQuietly(conn);
      storeLock.release();
    }
  }

  private String writeSideFile(byte[] frame) throws IOException {
    String name = UUID.randomUUID() + SIDE_SUFFIX;
    Path tmp = filesDir.resolve(name + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), modes.fileAttributes())) {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
      modes.applyTo(tmp);
      // The rename is atomic: a reader finds the whole file or none; the row that names it is
      // committed only after this.
      Files.move(tmp, filesDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteFileQuietly(tmp);
      throw e;
    }
    syncDirectory();
    return name;
  }

  private void syncDirectory() {
    // Makes the rename itself durable; not possible on every platform, hence best effort.
    try (FileChannel ch = FileChannel.open(filesDir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      logOnce("dirsync", Level.DEBUG, describe() + ": cannot sync directory " + filesDir, e);
    }
  }

  private void deleteFiles(List<String> names) {
    for (String name : names) {
      deleteSideFile(name);
    }
  }

  /**
   * The side file a row names, or null if the name is not one this store gives
   * ({@link #SIDE_FILE_NAME}): names come from a database that another process, a damaged
   * page or a hand may have written, and a name such as {@code ../../x} must never make the
   * store read or delete a file outside its folder.
   */
  private Path sideFile(String name) {
    if (name == null || !SIDE_FILE_NAME.matcher(name).matches()) {
      return null;
    }
    Path path = filesDir.resolve(name).normalize();
    return path.getParent().equals(filesDir) ? path : null;
  }

  /** Deletes a side file a row named, if the name is one of the store's. */
  private void deleteSideFile(String name) {
    Path path = sideFile(name);
    if (path != null) {
      deleteFileQuietly(path);
    }
  }

  private void deleteFileQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // An orphan costs disk space only; the row that named it is gone.
      logOnce("delete", Level.WARNING, describe() + ": cannot delete side file " + path, e);
    }
  }

  /**
   * Ends a failed transaction. The cached statements are dropped too: after an error such as
   * SQLITE_FULL, sqlite-jdbc may have finalized the one that failed ("statement is not
   * executing" on its next use), and preparing them again is cheap next to a failure.
   */
  private void abort() {
    rollbackQuietly(conn);
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        // Already unusable; it is being dropped anyway.
      }
    }
    statements.clear();
  }

  private void begin() throws SQLException {
    statement("BEGIN IMMEDIATE").execute();
  }

  private void commit() throws SQLException {
    statement("COMMIT").execute();
  }

  private void fail(String operation, Exception e) {
    addPending(Counter.FAILURES, 1);
    logOnce("fail:" + operation + ":" + e.getClass().getName(), Level.WARNING,
        describe() + ": " + operation + " failed, treated as a miss or a dropped write: "
            + e.getMessage(), e);
  }

  /** Whether SQLite says the file is damaged or not a database. */
  private static boolean isCorrupt(SQLException e) {
    int code = e.getErrorCode() & 0xFF;
    String message = String.valueOf(e.getMessage());
    return code == SQLITE_CORRUPT || code == SQLITE_NOTADB || message.contains("SQLITE_CORRUPT")
        || message.contains("SQLITE_NOTADB") || message.contains("malformed");
  }

  private void logOnce(String key, Level level, String message, Throwable cause) {
    if (logged.add(key)) {
      LOG.log(level, message, cause);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("The disk store " + dir + " is closed");
    }
  }

  private static boolean isBusy(SQLException e) {
    int code = e.getErrorCode() & 0xFF;
    String message = String.valueOf(e.getMessage());
    return code == 5 || code == 6 || message.contains("SQLITE_BUSY")
        || message.contains("SQLITE_LOCKED");
  }

  private static void rollbackQuietly(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException e) {
      // No transaction left to roll back (SQLite already ended it); nothing to undo.
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.log(Level.DEBUG, "Closing a disk store connection failed", e);
      }
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DiskStoreException("Interrupted while waiting for the disk store's lock", e);
    }
  }

  @Override
  public String toString() {
    return "DiskStore[" + dir + ", " + options + "]";
  }
}
