package dev.cachet.disk;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The store's one writer connection, its prepared statements and the monitor that guards them
 * ({@link #lock}). Every other part that writes, checks or lists on the database does so
 * through this, holding the lock.
 */
final class WriterConnection {
  /**
   * Guards the writer connection {@link #conn}, its statements, and everything done on it
   * (transactions, checks, listings). Held by the thread that runs a group commit.
   */
  final Object lock = new Object();
  private final Connection conn;
  /** The writer's prepared statements by SQL text; guarded by {@link #lock}. */
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  WriterConnection(Connection conn) {
    this.conn = conn;
  }

  /** The connection itself, for one-off statements. Under {@link #lock}. */
  Connection connection() {
    return conn;
  }

  /** The writer's prepared statement for {@code sql}, prepared once. Under {@link #lock}. */
  PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = conn.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /**
   * Ends a failed transaction. The cached statements are dropped too: after an error such as
   * SQLITE_FULL, sqlite-jdbc may have finalized the one that failed ("statement is not
   * executing" on its next use), and preparing them again is cheap next to a failure.
   */
  void abort() {
    Sqlite.rollbackQuietly(conn);
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        // Already unusable; it is being dropped anyway.
      }
    }
    statements.clear();
  }

  void begin() throws SQLException {
    statement("BEGIN IMMEDIATE").execute();
  }

  void commit() throws SQLException {
    statement("COMMIT").execute();
  }

  /** A cached query's single number (0 if it returns no row). Under {@link #lock}. */
  long scalarOn(String sql) throws SQLException {
    PreparedStatement ps = statement(sql);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** A counter's value as the database holds it (see {@link Counter}). Under {@link #lock}. */
  long counter(String name) throws SQLException {
    PreparedStatement ps = statement("SELECT value FROM counters WHERE name = ?");
    ps.setString(1, name);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** Closes the statements, then the connection. Under {@link #lock}, once, by close. */
  void close() {
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        // The connection's close below releases it.
      }
    }
    statements.clear();
    Sqlite.closeQuietly(conn);
  }
}
