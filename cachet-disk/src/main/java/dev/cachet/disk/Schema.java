package dev.cachet.disk;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * The writer's connection to {@value DiskStore#DB_FILE}: connecting with the store's pragmas,
 * creating and migrating the schema, and moving a damaged database aside (only while this
 * process is alone with the store). Static: it holds no state of its own.
 */
final class Schema {
  /** How long {@link DiskStore#open} retries while other processes create or lock the database. */
  static final long STARTUP_RETRY_NANOS = 30_000_000_000L;
  /**
   * How long {@link DiskStore#open} waits to be alone with a damaged database before it gives up
   * (another process that met the damage at the same moment repairs it much sooner).
   */
  private static final long REPAIR_WAIT_NANOS = 10_000_000_000L;
  /**
   * The page size of a store created by this version (SQLite's default is 4096). A put
   * rewrites one table page at a random place (rowids are key hashes), and that page is
   * written whole to the WAL by the commit, read back and written to the database by the
   * checkpoint, and read again when it fell out of the writer's cache; with rows of a few
   * hundred bytes a 1 KiB page moves the same row in a quarter of the bytes, in as many
   * system calls. Measured on 1,000,000 keys of 145-byte frames with Zipf-distributed puts:
   * 1.6x the puts per second of 4 KiB pages. Existing stores keep the page size they were
   * created with.
   */
  static final int NEW_STORE_PAGE_SIZE = 1024;
  /**
   * How much WAL the writer's commits leave before one of them checkpoints it into the
   * database: 16 MiB, four times SQLite's default of 1,000 pages of 4 KiB. A page that puts
   * rewrote several times since the last checkpoint (hot keys) is copied once, and each
   * checkpoint costs two syncs however much it copies. Set as pages, for the store's own page
   * size.
   */
  static final long CHECKPOINT_WAL_BYTES = 16L << 20;

  private Schema() {
  }

  /**
   * Connects the writer; a database SQLite reports as damaged is moved aside first when the
   * options allow it, but only while no other process has the store open ({@link StoreLock}):
   * renaming files that other processes' SQLite has open would leave each of them with a
   * database of its own, and their WAL index with the wrong one.
   */
  static Connection connectOrRepair(Path dir, DiskStoreOptions options,
      FileModes modes, StoreLock storeLock) {
    try {
      return connect(dir, options, modes);
    } catch (DiskStoreException e) {
      if (!options.recoverCorruptDatabase() || !(e.getCause() instanceof SQLException)
          || !Sqlite.isCorrupt((SQLException) e.getCause())) {
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
            + dir.resolve(DiskStore.DB_FILE) + " is damaged (" + damage.getMessage()
            + "), and it cannot be moved aside while others use it (" + notAlone.getMessage()
            + "). Stop the processes that have the store open, or give this one another directory; "
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
      if (e.getCause() instanceof SQLException && Sqlite.isCorrupt((SQLException) e.getCause())) {
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
    Path db = dir.resolve(DiskStore.DB_FILE);
    String suffix = ".corrupt-" + Instant.now().toString().replace(':', '-');
    try {
      for (String extra : new String[] {"", "-wal", "-shm"}) {
        Path from = dir.resolve(DiskStore.DB_FILE + extra);
        if (Files.exists(from)) {
          Files.move(from, dir.resolve(DiskStore.DB_FILE + suffix + extra),
              StandardCopyOption.ATOMIC_MOVE);
        }
      }
    } catch (IOException e) {
      throw new DiskStoreException("Cannot open a disk store at " + dir + ": the database " + db
          + " is damaged (" + cause.getMessage() + ") and cannot be moved aside (" + e + ")", e);
    }
    // The old side files are now orphans; removeOrphanFiles deletes them once old enough.
    StoreContext.LOG.log(Level.WARNING, "disk:" + dir + ": the database " + db + " is damaged ("
        + cause.getMessage() + "); moved it to " + DiskStore.DB_FILE + suffix
        + " and started an empty store", cause);
  }

  private static Connection connect(Path dir, DiskStoreOptions options, FileModes modes) {
    Path db = dir.resolve(DiskStore.DB_FILE);
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
          // Before journal_mode=WAL, which writes the header of a new database: only a new
          // store gets this page size; SQLite ignores it for an existing one, which keeps its
          // own (a WAL database cannot change it). See NEW_STORE_PAGE_SIZE.
          s.execute("PRAGMA page_size=" + NEW_STORE_PAGE_SIZE);
          // WAL lets readers proceed while one process writes; NORMAL syncs at checkpoints
          // only, which in WAL mode loses at most the last commits on power loss, never the
          // database, and never a commit when only the process dies.
          s.execute("PRAGMA journal_mode=WAL");
          s.execute(options.durability() == Durability.POWER_LOSS ? "PRAGMA synchronous=FULL"
              : "PRAGMA synchronous=NORMAL");
          s.execute("PRAGMA cache_size=-65536");
          // Only the writer commits, so only its connection checkpoints (see
          // CHECKPOINT_WAL_BYTES).
          s.execute("PRAGMA wal_autocheckpoint=" + CHECKPOINT_WAL_BYTES / pageSize(s));
        }
        createSchema(c, dir);
        return c;
      } catch (SQLException e) {
        Sqlite.closeQuietly(c);
        if (Sqlite.isBusy(e) && System.nanoTime() < deadline) {
          sleepQuietly(10 + ThreadLocalRandom.current().nextInt(90));
          continue;
        }
        throw new DiskStoreException("Cannot open a disk store at " + dir + ": SQLite failed on "
            + db + " (" + e.getMessage() + ")", e);
      } catch (RuntimeException e) {
        Sqlite.closeQuietly(c);
        throw e;
      }
    }
  }

  /**
   * Schema version 1 to 2: each entry moves to the rowid its key hashes to
   * ({@link ReaderPool#GET_SQL}), its tags with it, and gets its {@code keycheck}. Runs once,
   * inside the schema transaction, so other processes opening the store meanwhile wait (and
   * retry past their busy timeout; see {@link DiskStore#open}). A process of the earlier version
   * that still has the store open keeps working: it finds rows through the key index, and the
   * rows it adds at other rowids are misses here until it replaces them. Should two keys' rowids
   * collide, the second entry is dropped (a miss) and its side file queued in
   * {@code doomed_files}, which the next write transaction deletes.
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

  private static int schemaVersion(String stored, Path dir) {
    try {
      return Integer.parseInt(stored.trim());
    } catch (NumberFormatException e) {
      throw new DiskStoreException("Cannot open the disk store at " + dir + ": its schema version"
          + " is '" + stored + "', not a number, so another program wrote its database or it is"
          + " damaged. Give Cachet another directory, or delete this one if nothing else uses"
          + " it; the store was left untouched.");
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
            found = schemaVersion(rs.getString(1), dir);
            if (found > DiskStore.SCHEMA_VERSION) {
              throw new DiskStoreException("Cannot open the disk store at " + dir
                  + ": it was written with schema version " + found + ", and this Cachet reads "
                  + "schema version " + DiskStore.SCHEMA_VERSION + " at most. Upgrade Cachet in "
                  + "every process sharing this store, or give this one another directory; the "
                  + "store was left untouched.");
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
        // instead in large stores (see Eviction.evict). Stores made by earlier versions lose
        // these indexes here; an earlier version sharing the store recreates them, which is
        // harmless.
        s.execute("DROP INDEX IF EXISTS entries_created");
        s.execute("DROP INDEX IF EXISTS entries_accessed");
        s.execute("DROP INDEX IF EXISTS entries_lfu");
        s.execute("CREATE INDEX IF NOT EXISTS entries_expires ON entries(expires) "
            + "WHERE expires > 0");
        s.execute("CREATE TABLE IF NOT EXISTS entry_tags(tag TEXT NOT NULL, "
            + "entry_id INTEGER NOT NULL, PRIMARY KEY(tag, entry_id)) WITHOUT ROWID");
        s.execute("CREATE INDEX IF NOT EXISTS entry_tags_entry ON entry_tags(entry_id)");
        // Removals remembered for journaled puts made before them (see
        // JournalApplier.applyJournal).
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
        createTriggers(s);
        if (found == 1) {
          s.execute("ALTER TABLE entries ADD COLUMN keycheck INTEGER");
          migrateToHashedRowids(c);
        }
        s.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '"
            + DiskStore.SCHEMA_VERSION + "')");
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        Sqlite.rollbackQuietly(c);
        throw e;
      }
    }
  }

  /**
   * The triggers that keep the totals, the tag index and the side files right, and the
   * {@code doomed_files} table they fill. Inside {@link #createSchema}'s transaction.
   */
  private static void createTriggers(Statement s) throws SQLException {
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
    // writer after its transaction commits (see EntryRows.drainDoomedFiles).
    s.execute("CREATE TABLE IF NOT EXISTS doomed_files(file TEXT NOT NULL)");
    s.execute("CREATE TRIGGER IF NOT EXISTS entries_refiled AFTER UPDATE OF file ON entries "
        + "WHEN OLD.file IS NOT NULL AND OLD.file IS NOT NEW.file BEGIN "
        + "INSERT INTO doomed_files(file) VALUES (OLD.file); END");
    s.execute("CREATE TRIGGER IF NOT EXISTS entries_resized AFTER UPDATE OF size ON entries "
        + "WHEN OLD.size <> NEW.size BEGIN "
        + "UPDATE counters SET value = value + NEW.size - OLD.size WHERE name = 'bytes'; END");
    s.execute("CREATE TRIGGER IF NOT EXISTS entries_retagged AFTER UPDATE OF tags ON entries "
        + "WHEN OLD.tags <> '' BEGIN DELETE FROM entry_tags WHERE entry_id = OLD.id; END");
    // The change log that keeps every process's ReadCache coherent: in triggers, so that
    // every writer appends to it, whichever process and whichever Cachet version it runs.
    // Only what a read returns counts as a change; access times and counts do not.
    s.execute("CREATE TABLE IF NOT EXISTS changes(seq INTEGER PRIMARY KEY, "
        + "id INTEGER NOT NULL)");
    s.execute("CREATE TRIGGER IF NOT EXISTS entries_logged_insert AFTER INSERT ON entries "
        + "BEGIN INSERT INTO changes(id) VALUES (NEW.id); END");
    s.execute("CREATE TRIGGER IF NOT EXISTS entries_logged_delete AFTER DELETE ON entries "
        + "BEGIN INSERT INTO changes(id) VALUES (OLD.id); END");
    s.execute("CREATE TRIGGER IF NOT EXISTS entries_logged_update AFTER UPDATE OF "
        + "id, value, file, expires, keycheck ON entries "
        + "BEGIN INSERT INTO changes(id) VALUES (OLD.id); END");
    s.execute("CREATE TRIGGER IF NOT EXISTS entries_logged_move AFTER UPDATE OF id ON entries "
        + "WHEN OLD.id <> NEW.id BEGIN INSERT INTO changes(id) VALUES (NEW.id); END");
  }

  /** The page size of the database the statement's connection has open. */
  private static long pageSize(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
      return rs.next() ? Math.max(512, rs.getLong(1)) : 4096;
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
}
