package dev.cachet.disk;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The writer's changes to the {@code entries} table: storing a row at its key's rowid and
 * deleting rows, each collecting the side files it leaves for deletion after the commit. Inside
 * the caller's transaction, under {@link WriterConnection#lock}.
 */
final class EntryRows {
  /** SQLite's primary result code for a violated constraint. */
  private static final int SQLITE_CONSTRAINT = 19;

  /**
   * Stores a row at its key's rowid, replacing in place the key's previous row (see
   * Schema.createSchema). The {@code WHERE} leaves alone a row of another key at that rowid, and
   * the statement then changes nothing (see {@link #upsert}).
   */
  private static final String UPSERT_SQL = "INSERT INTO entries(id, namespace, digest, "
      + "size, created, accessed, expires, access_count, tags, value, file, keycheck) "
      + "VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, 1, ?7, ?8, ?9, ?10) ON CONFLICT(id) "
      + "DO UPDATE SET size = excluded.size, created = excluded.created, "
      + "accessed = excluded.accessed, expires = excluded.expires, access_count = 1, "
      + "tags = excluded.tags, value = excluded.value, file = excluded.file, "
      + "keycheck = excluded.keycheck "
      + "WHERE namespace = excluded.namespace AND digest = excluded.digest";

  private final WriterConnection writer;

  EntryRows(WriterConnection writer) {
    this.writer = writer;
  }

  /** Stores a row and indexes its tags; returns its rowid. */
  long upsert(String namespace, String digest, byte[] frame, long expires,
      List<String> tags, String file, long now, List<String> doomed) throws SQLException {
    long[] hashes = new long[2];
    EntryKeys.hash(namespace, digest, hashes);
    long id = hashes[0];
    PreparedStatement ps = writer.statement(UPSERT_SQL);
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
      // still has the store open (see Schema.migrateToHashedRowids).
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
      PreparedStatement tp = writer.statement(
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
  long deleteWhere(String select, String delete, List<String> doomed, Object... args)
      throws SQLException {
    PreparedStatement sel = writer.statement(select);
    bind(sel, args);
    try (ResultSet rs = sel.executeQuery()) {
      while (rs.next()) {
        doomed.add(rs.getString(1));
      }
    }
    PreparedStatement del = writer.statement(delete);
    bind(del, args);
    return del.executeUpdate();
  }

  static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }

  long deleteKey(String namespace, String digest, List<String> doomed)
      throws SQLException {
    // One statement instead of a SELECT for the side file and then a DELETE.
    PreparedStatement ps = writer.statement("DELETE FROM entries WHERE namespace = ? "
        + "AND digest = ? RETURNING file");
    ps.setString(1, namespace);
    ps.setString(2, digest);
    return deleteReturningFiles(ps, doomed);
  }

  /**
   * Runs a bound {@code DELETE ... RETURNING file}; collects the deleted rows' side files for
   * after the commit and returns how many rows it deleted.
   */
  static long deleteReturningFiles(PreparedStatement delete, List<String> doomed)
      throws SQLException {
    long n = 0;
    try (ResultSet rs = delete.executeQuery()) {
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
   * Takes the side files that replaced rows named (see Schema.createSchema), for after the
   * commit.
   */
  void drainDoomedFiles(List<String> doomed) throws SQLException {
    PreparedStatement ps = writer.statement("DELETE FROM doomed_files RETURNING file");
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        doomed.add(rs.getString(1));
      }
    }
  }
}
