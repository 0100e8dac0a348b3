package dev.cachet.disk;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** What SQLite's errors mean to the store, and the quiet clean-up after them. */
final class Sqlite {
  /** SQLite's primary result codes for a damaged file. */
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_NOTADB = 26;
  /** SQLite's primary result codes for a lock held elsewhere. */
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;

  private Sqlite() {
  }

  /**
   * Whether SQLite says the file is damaged or not a database. sqlite-jdbc reports SQLite's
   * result code as the exception's error code (an extended code's low byte is the primary
   * one); the damage tests pin that, so a driver that stopped doing it would fail them rather
   * than have damage read as a passing failure.
   */
  static boolean isCorrupt(SQLException e) {
    int code = e.getErrorCode() & 0xFF;
    return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
  }

  /** Whether SQLite refused for a lock another connection holds (busy or locked). */
  static boolean isBusy(SQLException e) {
    int code = e.getErrorCode() & 0xFF;
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
  }

  static void rollbackQuietly(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException e) {
      // No transaction left to roll back (SQLite already ended it); nothing to undo.
    }
  }

  static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        StoreContext.LOG.log(Level.DEBUG, "Closing a disk store connection failed", e);
      }
    }
  }
}
