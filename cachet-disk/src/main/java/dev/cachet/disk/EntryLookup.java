package dev.cachet.disk;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;
import org.sqlite.core.SafeStmtPtr;

/**
 * The point read of one entry's row: a prepared statement whose result columns are
 * {@code value} (a blob) followed by integers, run with the entry's rowid as its one
 * parameter. One thread at a time uses an instance.
 *
 * <p>It runs the statement through sqlite-jdbc's public core API ({@link DB#execute},
 * {@link DB#column_blob}, {@link DB#column_long}, {@link DB#reset}) rather than through a JDBC
 * {@link ResultSet}: the driver's result set fetches every column's name again on each query,
 * checks and marks each column read, and resets the statement through extra layers, which
 * measured as a quarter of a 100-byte get (about 1.6 µs of 7). The statement, its binding and
 * SQLite's step are the driver's own; only the result set is skipped. Should a future driver
 * lack these methods, lookups fall back to JDBC ({@link #CORE_API}).
 */
final class EntryLookup implements AutoCloseable {
  /** Whether this driver has the core methods used here, with the signatures expected. */
  static final boolean CORE_API = probeCoreApi();

  private final PreparedStatement statement;
  private final CoreStatement core;
  private final int longColumns;
  private final long[] longs;
  private byte[] value;

  /**
   * Prepares {@code sql} on {@code connection}.
   *
   * @param longColumns how many integer columns follow {@code value} in the result
   * @param useCore whether to read through the driver's core API when it has one
   */
  EntryLookup(Connection connection, String sql, int longColumns, boolean useCore)
      throws SQLException {
    this.statement = connection.prepareStatement(sql);
    this.core = useCore && CORE_API && statement instanceof CoreStatement c ? c : null;
    this.longColumns = longColumns;
    this.longs = new long[longColumns];
  }

  /**
   * Looks up the row whose rowid is {@code id}. On {@code true} its columns are readable
   * through {@link #value()} and {@link #longAt} until the next call.
   *
   * @return whether a row matched
   */
  boolean find(long id) throws SQLException {
    return core != null ? findCore(id) : findJdbc(id);
  }

  private boolean findCore(long id) throws SQLException {
    DB db = core.getDatabase();
    // One monitor for the whole exchange: the driver's methods each take it again, cheaply
    // when already held.
    synchronized (db) {
      // On no row the driver has already reset the statement.
      if (!db.execute(core, new Object[] {id})) {
        return false;
      }
      long pointer = core.pointer.safeRunLong((d, p) -> p);
      try {
        value = db.column_blob(pointer, 0);
        for (int i = 0; i < longColumns; i++) {
          longs[i] = db.column_long(pointer, i + 1);
        }
      } finally {
        // With autocommit on, this ends SQLite's read transaction, so the WAL can be
        // checkpointed past it; otherwise DiskStore's reader ends it when it goes stale.
        db.reset(pointer);
      }
      return true;
    }
  }

  private boolean findJdbc(long id) throws SQLException {
    statement.setLong(1, id);
    try (ResultSet rs = statement.executeQuery()) {
      if (!rs.next()) {
        return false;
      }
      value = rs.getBytes(1);
      for (int i = 0; i < longColumns; i++) {
        longs[i] = rs.getLong(i + 2);
      }
      return true;
    }
  }

  /** The found row's {@code value}: null for SQL NULL. */
  byte[] value() {
    return value;
  }

  /** The found row's {@code i}-th integer column (0 after {@code value}); 0 for SQL NULL. */
  long longAt(int i) {
    return longs[i];
  }

  @Override
  public void close() throws SQLException {
    value = null;
    statement.close();
  }

  private static boolean probeCoreApi() {
    try {
      DB.class.getMethod("execute", CoreStatement.class, Object[].class);
      DB.class.getMethod("column_blob", long.class, int.class);
      DB.class.getMethod("column_long", long.class, int.class);
      DB.class.getMethod("reset", long.class);
      CoreStatement.class.getField("pointer");
      SafeStmtPtr.class.getMethod("safeRunLong", SafeStmtPtr.SafePtrLongFunction.class);
      return true;
    } catch (ReflectiveOperationException | LinkageError e) {
      return false;
    }
  }
}
