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

  private Sqlite() {
  }

  /** Whether SQLite says the file is damaged or not a database. */
  static boolean isCorrupt(SQLException e) {
    int code = e.getErrorCode() & 0xFF;
    String message = String.valueOf(e.getMessage());
    return code == SQLITE_CORRUPT || code == SQLITE_NOTADB || message.contains("SQLITE_CORRUPT")
        || message.contains("SQLITE_NOTADB") || message.contains("malformed");
  }

  static boolean isBusy(SQLException e) {
    int code = e.getErrorCode() & 0xFF;
    String message = String.valueOf(e.getMessage());
    return code == 5 || code == 6 || message.contains("SQLITE_BUSY")
        || message.contains("SQLITE_LOCKED");
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
