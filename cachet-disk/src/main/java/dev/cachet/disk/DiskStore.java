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
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A {@link Store} on local disk: one directory holding a SQLite database in WAL mode
 * ({@value #DB_FILE}) and a folder of side files ({@value #FILES_DIR}) for frames above
 * {@link DiskStoreOptions#sideFileThreshold()}. Several threads and several processes may use
 * the same directory at once.
 *
 * <p>Every read decodes the frame (checksum included); a damaged entry or a missing side file
 * is removed, counted in {@link StoreStats#corruptions()} and returned as a miss. A failing
 * operation (I/O error, a lock held beyond the busy timeout, a read-only directory) is counted
 * in {@link StoreStats#failures()}, logged once per kind, and behaves as a miss or a dropped
 * write. Only {@link #open} throws for the store's own trouble.
 *
 * <p>Within a process, operations are serialized on one connection: SQLite allows one writer at
 * a time anyway, and the reads measured at a few microseconds.
 */
public final class DiskStore implements Store {
  /** The schema version this class writes and the newest it opens. */
  public static final int SCHEMA_VERSION = 1;
  static final String DB_FILE = "cachet.db";
  static final String FILES_DIR = "files";
  private static final String SIDE_SUFFIX = ".entry";
  private static final System.Logger LOG = System.getLogger(DiskStore.class.getName());
  /** How long {@link #open} retries while other processes create or lock the database. */
  private static final long STARTUP_RETRY_NANOS = 30_000_000_000L;
  /**
   * Side files younger than this are never taken for orphans: another process may have renamed
   * one into place and not yet committed its row.
   */
  static final Duration ORPHAN_GRACE = Duration.ofHours(1);
  /** Beyond this many buffered reads while the database fails, the oldest are dropped. */
  private static final int MAX_PENDING_ACCESS = 100_000;

  private enum Counter { HITS, MISSES, WRITES, EVICTIONS, EXPIRATIONS, CORRUPTIONS, FAILURES }

  private final Path dir;
  private final Path filesDir;
  private final DiskStoreOptions options;
  private final Object lock = new Object();
  /** Guarded by {@link #lock}, like everything mutable below. */
  private final Connection conn;
  private boolean closed;
  /** Entry id to {reads, last read time}: reads not yet written to the database. */
  private final Map<Long, long[]> pendingAccess = new HashMap<>();
  /** Counters not yet added to the database's, indexed by {@link Counter#ordinal()}. */
  private final long[] pending = new long[Counter.values().length];
  private long lastFlushMillis;
  /** Reads (hits and misses) since the last flush. */
  private int bufferedReads;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  private DiskStore(Path dir, DiskStoreOptions options, Connection conn) {
    this.dir = dir;
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
   * @param dir the store's directory; created if absent
   * @param options the settings
   * @return the open store
   * @throws DiskStoreException if the path is not a writable directory, the database was
   *     written by a newer schema version, or SQLite cannot open it
   */
  public static DiskStore open(Path dir, DiskStoreOptions options) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    Path abs = dir.toAbsolutePath().normalize();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new DiskStoreException("Cannot open a disk store at " + abs
          + ": it is a file, not a directory");
    }
    try {
      Files.createDirectories(abs.resolve(FILES_DIR));
    } catch (IOException e) {
      throw new DiskStoreException("Cannot open a disk store at " + abs
          + ": cannot create the directory (" + e + ")", e);
    }
    if (!Files.isWritable(abs) || !Files.isWritable(abs.resolve(FILES_DIR))) {
      throw new DiskStoreException("Cannot open a disk store at " + abs
          + ": the directory is not writable");
    }
    DiskStore store = new DiskStore(abs, options, connect(abs, options));
    store.removeOrphanFiles(ORPHAN_GRACE);
    return store;
  }

  private static Connection connect(Path dir, DiskStoreOptions options) {
    Path db = dir.resolve(DB_FILE);
    long deadline = System.nanoTime() + STARTUP_RETRY_NANOS;
    while (true) {
      Connection c = null;
      try {
        c = DriverManager.getConnection("jdbc:sqlite:" + db);
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA busy_timeout=" + options.busyTimeout().toMillis());
          // WAL lets readers proceed while one process writes; NORMAL syncs at checkpoints
          // only, which in WAL mode loses at most the last commits on power loss, never the
          // database.
          s.execute("PRAGMA journal_mode=WAL");
          s.execute("PRAGMA synchronous=NORMAL");
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

  private static void createSchema(Connection c, Path dir) throws SQLException {
    try (Statement s = c.createStatement()) {
      // IMMEDIATE takes the write lock first, so two JVMs creating the same new store cannot
      // both see an empty schema and interleave.
      s.execute("BEGIN IMMEDIATE");
      try {
        s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        try (ResultSet rs = s.executeQuery(
            "SELECT value FROM meta WHERE key = 'schema_version'")) {
          if (rs.next()) {
            int found = Integer.parseInt(rs.getString(1).trim());
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
            + "value BLOB, file TEXT, UNIQUE(namespace, digest))");
        s.execute("CREATE INDEX IF NOT EXISTS entries_created ON entries(created, id)");
        s.execute("CREATE INDEX IF NOT EXISTS entries_accessed ON entries(accessed, id)");
        s.execute("CREATE INDEX IF NOT EXISTS entries_lfu ON entries(access_count, accessed)");
        s.execute("CREATE INDEX IF NOT EXISTS entries_expires ON entries(expires) "
            + "WHERE expires > 0");
        s.execute("CREATE TABLE IF NOT EXISTS entry_tags(tag TEXT NOT NULL, "
            + "entry_id INTEGER NOT NULL, PRIMARY KEY(tag, entry_id)) WITHOUT ROWID");
        s.execute("CREATE INDEX IF NOT EXISTS entry_tags_entry ON entry_tags(entry_id)");
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
        s.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '"
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

  @Override
  public byte[] get(String namespace, String digest) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(digest, "digest");
    synchronized (lock) {
      ensureOpen();
      try {
        long id;
        long expires;
        byte[] inline;
        String file;
        try (PreparedStatement ps = conn.prepareStatement("SELECT id, expires, value, file "
            + "FROM entries WHERE namespace = ? AND digest = ?")) {
          ps.setString(1, namespace);
          ps.setString(2, digest);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return miss();
            }
            id = rs.getLong(1);
            expires = rs.getLong(2);
            inline = rs.getBytes(3);
            file = rs.getString(4);
          }
        }
        long now = options.clock().millis();
        if (expires != 0 && now >= expires) {
          // The one write a read may cost, and only for an entry that is dead anyway.
          if (deleteIfUnchanged(id, file)) {
            pending[Counter.EXPIRATIONS.ordinal()]++;
            if (file != null) {
              deleteFileQuietly(filesDir.resolve(file));
            }
          }
          return miss();
        }
        byte[] bytes;
        if (file != null) {
          Path path = filesDir.resolve(file);
          try {
            bytes = Files.readAllBytes(path);
          } catch (NoSuchFileException e) {
            corrupt(id, file, "the side file " + path + " is missing", e);
            return miss();
          }
        } else {
          bytes = inline == null ? new byte[0] : inline;
        }
        try {
          EntryFrame.decode(bytes);
        } catch (CorruptEntryException e) {
          if (e.reason() == CorruptEntryException.Reason.NEWER_FORMAT) {
            // Left for the upgraded processes that share this store (docs/ENTRY-FORMAT.md).
            logOnce("newer-format", Level.WARNING, describe() + ": " + e.getMessage(), null);
            return miss();
          }
          String where = file != null ? "side file " + filesDir.resolve(file)
              : "entry (" + namespace + ", " + digest + ") in " + dir.resolve(DB_FILE);
          corrupt(id, file, "the " + where + " is damaged: " + e.getMessage(), e);
          return miss();
        }
        pending[Counter.HITS.ordinal()]++;
        long[] access = pendingAccess.computeIfAbsent(id, k -> new long[2]);
        access[0]++;
        access[1] = Math.max(access[1], now);
        maybeFlush(now);
        return bytes;
      } catch (SQLException | IOException e) {
        fail("get", e);
        return miss();
      }
    }
  }

  private byte[] miss() {
    pending[Counter.MISSES.ordinal()]++;
    // Without this a store that only misses would keep its counters in memory until close.
    maybeFlush(options.clock().millis());
    return null;
  }

  /** Removes a damaged entry, unless another process replaced or removed it meanwhile. */
  private void corrupt(long id, String file, String what, Exception cause) throws SQLException {
    if (deleteIfUnchanged(id, file)) {
      pending[Counter.CORRUPTIONS.ordinal()]++;
      LOG.log(Level.WARNING, describe() + ": removed an unreadable entry: " + what, cause);
      if (file != null) {
        deleteFileQuietly(filesDir.resolve(file));
      }
    }
  }

  private boolean deleteIfUnchanged(long id, String file) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(
        "DELETE FROM entries WHERE id = ? AND file IS ?")) {
      ps.setLong(1, id);
      ps.setString(2, file);
      return ps.executeUpdate() > 0;
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
    synchronized (lock) {
      ensureOpen();
      long now = options.clock().millis();
      if (expiresAtMillis != 0 && now >= expiresAtMillis) {
        // Storing it would only hide it from reads; dropping the old value keeps put's meaning.
        remove(namespace, digest);
        return;
      }
      String file = null;
      List<String> doomed = new ArrayList<>();
      long[] removed = new long[2]; // evictions, expirations
      try {
        if (frame.length > options.sideFileThreshold()) {
          file = writeSideFile(frame);
        }
        begin();
        try {
          flushPendingInTransaction();
          deleteKey(namespace, digest, doomed);
          long id = insert(namespace, digest, frame, expiresAtMillis, tagList, file, now);
          removed[1] = sweepExpired(now, doomed);
          removed[0] = evict(doomed, id);
          commit();
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(conn);
          throw e;
        }
        settlePending(now);
        pending[Counter.WRITES.ordinal()]++;
        pending[Counter.EVICTIONS.ordinal()] += removed[0];
        pending[Counter.EXPIRATIONS.ordinal()] += removed[1];
        deleteFiles(doomed);
      } catch (SQLException | IOException e) {
        if (file != null) {
          deleteFileQuietly(filesDir.resolve(file));
        }
        fail("put", e);
      }
    }
  }

  private long insert(String namespace, String digest, byte[] frame, long expires,
      List<String> tags, String file, long now) throws SQLException {
    long id;
    try (PreparedStatement ps = conn.prepareStatement("INSERT INTO entries(namespace, digest, "
        + "size, created, accessed, expires, access_count, tags, value, file) "
        + "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, namespace);
      ps.setString(2, digest);
      ps.setLong(3, frame.length);
      ps.setLong(4, now);
      ps.setLong(5, now);
      ps.setLong(6, expires);
      ps.setString(7, String.join("\n", tags));
      ps.setBytes(8, file == null ? frame : null);
      ps.setString(9, file);
      ps.executeUpdate();
    }
    try (Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
      rs.next();
      id = rs.getLong(1);
    }
    if (!tags.isEmpty()) {
      try (PreparedStatement ps = conn.prepareStatement(
          "INSERT OR IGNORE INTO entry_tags(tag, entry_id) VALUES (?, ?)")) {
        for (String tag : tags) {
          ps.setString(1, tag);
          ps.setLong(2, id);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    return id;
  }

  /** Deletes rows selected by {@code where}; collects their side files for after the commit. */
  private long deleteWhere(String select, String delete, List<String> doomed, Object... args)
      throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(select)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          doomed.add(rs.getString(1));
        }
      }
    }
    try (PreparedStatement ps = conn.prepareStatement(delete)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }

  private long deleteKey(String namespace, String digest, List<String> doomed)
      throws SQLException {
    return deleteWhere("SELECT file FROM entries WHERE namespace = ? AND digest = ? "
            + "AND file IS NOT NULL",
        "DELETE FROM entries WHERE namespace = ? AND digest = ?", doomed, namespace, digest);
  }

  private long sweepExpired(long now, List<String> doomed) throws SQLException {
    if (options.sweepLimit() == 0) {
      return 0;
    }
    String victims = "SELECT id FROM entries WHERE expires > 0 AND expires <= ? LIMIT ?";
    return deleteWhere("SELECT file FROM entries WHERE id IN (" + victims + ") "
            + "AND file IS NOT NULL",
        "DELETE FROM entries WHERE id IN (" + victims + ")", doomed, now, options.sweepLimit());
  }

  /**
   * Evicts until the store is within its limit. The entry just written goes last: under LFU it
   * has the fewest reads of all and would otherwise always be the victim.
   */
  private long evict(List<String> doomed, long justWritten) throws SQLException {
    if (options.maxBytes() == 0) {
      return 0;
    }
    String order;
    switch (options.eviction()) {
      case LRU:
        order = "accessed, id";
        break;
      case LFU:
        order = "access_count, accessed, id";
        break;
      default:
        order = "created, id";
        break;
    }
    long evicted = 0;
    while (true) {
      long excess = counter("bytes") - options.maxBytes();
      if (excess <= 0) {
        return evicted;
      }
      List<long[]> victims = new ArrayList<>();
      // "id != ?" keeps the walk on the order's index; the new entry is only taken when
      // nothing else is left (it alone exceeds the limit).
      boolean onlyNew = counter("entries") <= 1;
      try (PreparedStatement ps = conn.prepareStatement("SELECT id, size, file FROM entries "
          + (onlyNew ? "" : "WHERE id != ? ") + "ORDER BY " + order + " LIMIT 32")) {
        if (!onlyNew) {
          ps.setLong(1, justWritten);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next() && excess > 0) {
            victims.add(new long[] {rs.getLong(1)});
            excess -= rs.getLong(2);
            String file = rs.getString(3);
            if (file != null) {
              doomed.add(file);
            }
          }
        }
      }
      if (victims.isEmpty()) {
        return evicted; // the totals disagree with the rows; nothing left to evict
      }
      try (PreparedStatement ps = conn.prepareStatement("DELETE FROM entries WHERE id = ?")) {
        for (long[] victim : victims) {
          ps.setLong(1, victim[0]);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      evicted += victims.size();
    }
  }

  private long counter(String name) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT value FROM counters WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  @Override
  public boolean remove(String namespace, String digest) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(digest, "digest");
    synchronized (lock) {
      ensureOpen();
      return inTransaction("remove", doomed -> deleteKey(namespace, digest, doomed)) > 0;
    }
  }

  @Override
  public long removeNamespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    synchronized (lock) {
      ensureOpen();
      return inTransaction("removeNamespace", doomed -> deleteWhere(
          "SELECT file FROM entries WHERE namespace = ? AND file IS NOT NULL",
          "DELETE FROM entries WHERE namespace = ?", doomed, namespace));
    }
  }

  @Override
  public long removeTag(String tag) {
    Objects.requireNonNull(tag, "tag");
    synchronized (lock) {
      ensureOpen();
      String ids = "SELECT entry_id FROM entry_tags WHERE tag = ?";
      return inTransaction("removeTag", doomed -> deleteWhere(
          "SELECT file FROM entries WHERE id IN (" + ids + ") AND file IS NOT NULL",
          "DELETE FROM entries WHERE id IN (" + ids + ")", doomed, tag));
    }
  }

  @Override
  public void clear() {
    synchronized (lock) {
      ensureOpen();
      inTransaction("clear", doomed -> deleteWhere(
          "SELECT file FROM entries WHERE file IS NOT NULL", "DELETE FROM entries", doomed));
    }
  }

  /**
   * Like {@link #clear}, but says how many entries it removed (for tools that report it).
   * Never throws for the store's trouble; a failure is counted and 0 returned.
   *
   * @return the number of entries removed
   */
  public long removeAll() {
    synchronized (lock) {
      ensureOpen();
      return inTransaction("clear", doomed -> deleteWhere(
          "SELECT file FROM entries WHERE file IS NOT NULL", "DELETE FROM entries", doomed));
    }
  }

  /** A deletion that reports how many rows it removed and which side files to drop. */
  private interface Deletion {
    long run(List<String> doomed) throws SQLException;
  }

  private long inTransaction(String operation, Deletion deletion) {
    List<String> doomed = new ArrayList<>();
    try {
      begin();
      long count;
      try {
        count = deletion.run(doomed);
        commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(conn);
        throw e;
      }
      deleteFiles(doomed);
      return count;
    } catch (SQLException e) {
      fail(operation, e);
      return 0;
    }
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
      return Files.readAllBytes(filesDir.resolve(file));
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
      flushNow(options.clock().millis());
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
            pending[Counter.CORRUPTIONS.ordinal()]++;
            if (d.file() != null) {
              deleteFileQuietly(filesDir.resolve(d.file()));
            }
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
        rollbackQuietly(conn);
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

  @Override
  public StoreStats stats() {
    synchronized (lock) {
      ensureOpen();
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
      for (Counter counter : Counter.values()) {
        c[counter.ordinal()] = db.getOrDefault(counter.name().toLowerCase(), 0L)
            + pending[counter.ordinal()];
      }
      return new StoreStats(db.getOrDefault("entries", 0L), db.getOrDefault("bytes", 0L),
          c[Counter.HITS.ordinal()], c[Counter.MISSES.ordinal()], c[Counter.WRITES.ordinal()],
          c[Counter.EVICTIONS.ordinal()], c[Counter.EXPIRATIONS.ordinal()],
          c[Counter.CORRUPTIONS.ordinal()], c[Counter.FAILURES.ordinal()]);
    }
  }

  /**
   * Writes buffered reads and counters now, instead of at the next batch boundary.
   * Never throws; a failure is counted.
   */
  public void flush() {
    synchronized (lock) {
      ensureOpen();
      flushNow(options.clock().millis());
    }
  }

  private void maybeFlush(long now) {
    if (++bufferedReads >= options.accessFlushReads()
        || now - lastFlushMillis >= options.accessFlushInterval().toMillis()) {
      flushNow(now);
    }
  }

  private void flushNow(long now) {
    if (pendingAccess.isEmpty() && isZero(pending)) {
      lastFlushMillis = now;
      bufferedReads = 0;
      return;
    }
    try {
      begin();
      try {
        flushPendingInTransaction();
        commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(conn);
        throw e;
      }
      settlePending(now);
    } catch (SQLException e) {
      lastFlushMillis = now; // do not retry on every read while the database fails
      bufferedReads = 0;
      if (pendingAccess.size() > MAX_PENDING_ACCESS) {
        pendingAccess.clear(); // reads only steer eviction; memory must stay bounded
      }
      fail("flush", e);
    }
  }

  /** Writes buffered reads and counters inside the caller's transaction. */
  private void flushPendingInTransaction() throws SQLException {
    if (!pendingAccess.isEmpty()) {
      try (PreparedStatement ps = conn.prepareStatement("UPDATE entries SET "
          + "access_count = access_count + ?, accessed = MAX(accessed, ?) WHERE id = ?")) {
        for (Map.Entry<Long, long[]> e : pendingAccess.entrySet()) {
          ps.setLong(1, e.getValue()[0]);
          ps.setLong(2, e.getValue()[1]);
          ps.setLong(3, e.getKey());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    try (PreparedStatement ps = conn.prepareStatement(
        "UPDATE counters SET value = value + ? WHERE name = ?")) {
      boolean any = false;
      for (Counter counter : Counter.values()) {
        if (pending[counter.ordinal()] != 0) {
          ps.setLong(1, pending[counter.ordinal()]);
          ps.setString(2, counter.name().toLowerCase());
          ps.addBatch();
          any = true;
        }
      }
      if (any) {
        ps.executeBatch();
      }
    }
  }

  private static boolean isZero(long[] values) {
    for (long value : values) {
      if (value != 0) {
        return false;
      }
    }
    return true;
  }

  /** After a commit that included {@link #flushPendingInTransaction}. */
  private void settlePending(long now) {
    pendingAccess.clear();
    java.util.Arrays.fill(pending, 0);
    bufferedReads = 0;
    lastFlushMillis = now;
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      flushNow(options.clock().millis());
      closeQuietly(conn);
    }
  }

  private String writeSideFile(byte[] frame) throws IOException {
    String name = UUID.randomUUID() + SIDE_SUFFIX;
    Path tmp = filesDir.resolve(name + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
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
      if (name != null) {
        deleteFileQuietly(filesDir.resolve(name));
      }
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

  private void begin() throws SQLException {
    try (Statement s = conn.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
    }
  }

  private void commit() throws SQLException {
    try (Statement s = conn.createStatement()) {
      s.execute("COMMIT");
    }
  }

  private void fail(String operation, Exception e) {
    pending[Counter.FAILURES.ordinal()]++;
    logOnce("fail:" + operation + ":" + e.getClass().getName(), Level.WARNING,
        describe() + ": " + operation + " failed, treated as a miss or a dropped write: "
            + e.getMessage(), e);
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
