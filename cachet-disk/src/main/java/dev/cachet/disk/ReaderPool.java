package dev.cachet.disk;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * The store's read connections: a pool of query-only connections, each with its prepared
 * lookup, borrowed by one thread at a time, so that threads read in parallel (WAL readers never
 * wait for the writer).
 */
final class ReaderPool {
  /**
   * Idle read connections kept for reuse; a burst of more threads opens more, which are
   * closed when returned beyond this many (each holds up to 8 MB of SQLite's page cache).
   */
  private static final int MAX_IDLE_READERS = 16;
  /**
   * The lookup: an entry's rowid is a hash of its key ({@link EntryKeys#hash}), so a read is
   * one descent of the table's B-tree instead of one through the {@code (namespace, digest)}
   * index and then one through the table (measured: 3.8 µs instead of 5.3). The row's
   * {@code keycheck}, a second hash of its own key ({@link EntryKeys#hash}), is compared with
   * the key's, so another key's row at that rowid (a hash collision, or damage to the table's
   * pages) is a miss, never its value. A side file's name is looked up only when {@code value}
   * is NULL ({@link #FILE_SQL}).
   */
  static final String GET_SQL = "SELECT value, expires, keycheck FROM entries "
      + "WHERE id = ?1";
  private static final String FILE_SQL = "SELECT file FROM entries WHERE id = ? "
      + "AND keycheck = ?";
  private static final String CHANGES_SQL = "SELECT seq, id FROM changes WHERE seq > ? "
      + "ORDER BY seq LIMIT ?";
  private static final String LAST_CHANGE_SQL = "SELECT max(seq) FROM changes";

  private final StoreContext ctx;
  /** Read connections not in use, most recently used first (its pages are warm). */
  private final ConcurrentLinkedDeque<Reader> idleReaders = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();

  ReaderPool(StoreContext ctx) {
    this.ctx = ctx;
  }

  /** A read-only connection with its prepared lookup, used by one thread at a time. */
  private static final class Reader {
    final Connection connection;
    final EntryLookup get;
    /** The key's rowid and check, computed into this reader's own array (no allocation). */
    final long[] keyHashes = new long[2];
    PreparedStatement file;
    PreparedStatement changes;
    PreparedStatement lastChange;

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

    PreparedStatement changes() throws SQLException {
      if (changes == null) {
        changes = connection.prepareStatement(CHANGES_SQL);
      }
      return changes;
    }

    PreparedStatement lastChange() throws SQLException {
      if (lastChange == null) {
        lastChange = connection.prepareStatement(LAST_CHANGE_SQL);
      }
      return lastChange;
    }

    void close() {
      try {
        get.close();
        for (PreparedStatement s : new PreparedStatement[] {file, changes, lastChange}) {
          if (s != null) {
            s.close();
          }
        }
      } catch (SQLException e) {
        // Closing the connection below releases it anyway.
      }
      Sqlite.closeQuietly(connection);
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
    config.setBusyTimeout((int) ctx.options.busyTimeout().toMillis());
    Connection c = config.createConnection("jdbc:sqlite:" + ctx.dir.resolve(DiskStore.DB_FILE));
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
      Sqlite.closeQuietly(c);
      throw e;
    }
  }

  private void releaseReader(Reader reader, boolean healthy) {
    // A connection that failed is dropped rather than trusted again; a fresh one is cheap.
    if (!healthy || ctx.isClosed() || idleCount.incrementAndGet() > MAX_IDLE_READERS) {
      if (healthy && !ctx.isClosed()) {
        idleCount.decrementAndGet();
      }
      reader.close();
      return;
    }
    idleReaders.offerFirst(reader);
    if (ctx.isClosed() && idleReaders.remove(reader)) {
      // close() may have drained the pool just before this reader went back in.
      idleCount.decrementAndGet();
      reader.close();
    }
  }

  /** One row as {@link DiskStore#get} reads it. */
  record Row(long id, long expires, byte[] inline, String file) {
  }

  /** Looks a key up on a pooled read connection, by its rowid ({@link #GET_SQL}). */
  Row readRow(String namespace, String digest) throws SQLException {
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

  /**
   * The ids of the entries changed after change {@code after}, from the {@code changes} log
   * ({@link ReadCache}).
   *
   * @param ids the ids, in the order of their changes, when {@code complete}
   * @param lastSeq the last change read: where the next call starts
   * @param complete false when the ids cannot be trusted to be every change since
   *     {@code after}: it is unknown (-1), the log was pruned past it, or there are more than
   *     the limit; the caller then forgets everything it cached
   */
  record Changes(long[] ids, long lastSeq, boolean complete) {
  }

  /**
   * Reads the change log past {@code after}, at most {@code limit} ids. Sequence numbers are
   * rowids, each one more than the last (SQLite's rule for a table whose largest rowid is never
   * deleted; pruning removes only the oldest), so a gap means pruned changes.
   */
  Changes changesSince(long after, int limit) throws SQLException {
    Reader reader = borrowReader();
    boolean healthy = false;
    try {
      Changes result = after < 0 ? new Changes(new long[0], lastChange(reader), false)
          : readChanges(reader, after, limit);
      healthy = true;
      return result;
    } finally {
      releaseReader(reader, healthy);
    }
  }

  private static Changes readChanges(Reader reader, long after, int limit)
      throws SQLException {
    PreparedStatement ps = reader.changes();
    ps.setLong(1, after);
    ps.setInt(2, limit + 1);
    long[] ids = new long[16];
    int n = 0;
    long expected = after + 1;
    boolean contiguous = true;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long seq = rs.getLong(1);
        contiguous &= seq == expected;
        expected = seq + 1;
        if (n == ids.length) {
          ids = Arrays.copyOf(ids, n * 2);
        }
        ids[n++] = rs.getLong(2);
      }
    }
    if (n > limit) {
      return new Changes(new long[0], lastChange(reader), false);
    }
    return new Changes(Arrays.copyOf(ids, n), expected - 1, contiguous);
  }

  private static long lastChange(Reader reader) throws SQLException {
    try (ResultSet rs = reader.lastChange().executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0; // max() of no rows is NULL, read as 0
    }
  }

  /** Closes the idle connections. By {@link DiskStore#close}, after marking the store closed. */
  void close() {
    Reader reader;
    while ((reader = idleReaders.pollFirst()) != null) {
      idleCount.decrementAndGet();
      reader.close();
    }
  }
}
