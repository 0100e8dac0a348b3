package dev.cachet.disk;

import dev.cachet.codec.CorruptEntryException;
import dev.cachet.codec.EntryFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@link DiskStore#check}: SQLite's {@code quick_check}, every entry, the side files no row
 * names, the tag index and the totals; with {@code fix}, repairs what a cache can. Runs under
 * {@link WriterConnection#lock}.
 */
final class StoreCheck {
  /**
   * A {@code .tmp} side file younger than this may be another process's write in progress, so
   * {@link #check} leaves it alone.
   */
  static final Duration CHECK_TMP_GRACE = Duration.ofMinutes(1);

  private final StoreContext ctx;
  private final WriterConnection writer;
  private final ReadRecorder reads;
  private final SideFiles sideFiles;
  private final GroupCommit commits;
  private final Path filesDir;

  StoreCheck(StoreContext ctx, SideFiles sideFiles, GroupCommit commits) {
    this.ctx = ctx;
    this.writer = ctx.writer;
    this.reads = ctx.reads;
    this.sideFiles = sideFiles;
    this.commits = commits;
    this.filesDir = ctx.filesDir;
  }

  /** See {@link DiskStore#check}. Takes the writer's lock. */
  CheckReport check(boolean fix) {
    synchronized (writer.lock) {
      ctx.ensureOpen();
      // Buffered reads would otherwise be written after the totals were recomputed.
      commits.flushNow();
      List<CheckReport.Problem> problems = new ArrayList<>();
      checkDatabase(problems);
      long entriesChecked = checkEntries(fix, problems);
      long filesChecked = checkOrphans(fix, problems);
      checkIndexAndCounters(fix, problems);
      return new CheckReport(problems, entriesChecked, filesChecked);
    }
  }

  private void checkDatabase(List<CheckReport.Problem> problems) {
    try (Statement s = writer.connection().createStatement();
        ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
      while (rs.next()) {
        String line = rs.getString(1);
        if (!"ok".equalsIgnoreCase(line)) {
          problems.add(new CheckReport.Problem(CheckReport.Kind.DATABASE, null,
              ctx.dir.resolve(DiskStore.DB_FILE).toString(), "SQLite quick_check: " + line, false));
        }
      }
    } catch (SQLException e) {
      problems.add(new CheckReport.Problem(CheckReport.Kind.DATABASE, null,
          ctx.dir.resolve(DiskStore.DB_FILE).toString(),
          "SQLite quick_check failed: " + e.getMessage(), false));
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
    try (Statement s = writer.connection().createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT id, namespace, digest, size, value, file FROM entries ORDER BY id")) {
      while (rs.next()) {
        checked++;
        long id = rs.getLong(1);
        String ns = rs.getString(2);
        String digest = rs.getString(3);
        long size = rs.getLong(4);
        String file = rs.getString(6);
        if (file != null && sideFiles.sideFile(file) == null) {
          damaged.add(new Damage(id, ns, digest, file, CheckReport.Kind.CORRUPT_ENTRY,
              "the row names a side file that is not one of the store's (left alone)"));
          continue;
        }
        byte[] bytes;
        try {
          bytes = sideFiles.readStored(rs.getBytes(5), file);
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
            reads.addPending(Counter.CORRUPTIONS, 1);
            sideFiles.deleteSideFile(d.file());
          }
          fixed = true; // removed by us, or replaced/removed by another process meanwhile
        } catch (SQLException e) {
          ctx.fail("check", e);
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
    try (Statement s = writer.connection().createStatement();
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
          ctx.fail("check", e);
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
      writer.begin();
      try {
        long dangling = scalar("SELECT COUNT(*) FROM entry_tags WHERE entry_id NOT IN "
            + "(SELECT id FROM entries)");
        if (dangling > 0) {
          if (fix) {
            try (Statement s = writer.connection().createStatement()) {
              s.executeUpdate("DELETE FROM entry_tags WHERE entry_id NOT IN "
                  + "(SELECT id FROM entries)");
            }
          }
          found.add(new CheckReport.Problem(CheckReport.Kind.DANGLING_TAGS, null, null,
              dangling + " tag rows name entries that no longer exist", fix));
        }
        long rows = scalar("SELECT COUNT(*) FROM entries");
        long bytes = scalar("SELECT COALESCE(SUM(size), 0) FROM entries");
        long storedRows = writer.counter("entries");
        long storedBytes = writer.counter("bytes");
        if (rows != storedRows || bytes != storedBytes) {
          if (fix) {
            try (PreparedStatement ps = writer.connection().prepareStatement(
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
        writer.commit();
        problems.addAll(found);
      } catch (SQLException | RuntimeException e) {
        writer.abort();
        throw e;
      }
    } catch (SQLException e) {
      problems.add(new CheckReport.Problem(CheckReport.Kind.CHECK_FAILED, null, null,
          "cannot check the totals: " + e.getMessage(), false));
    }
  }

  private long scalar(String sql) throws SQLException {
    try (Statement s = writer.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** For {@link #check}: deletes a row unless another process replaced it. Under the lock. */
  private boolean deleteIfUnchanged(long id, String file) throws SQLException {
    PreparedStatement ps = writer.statement("DELETE FROM entries WHERE id = ? AND file IS ?");
    ps.setLong(1, id);
    ps.setString(2, file);
    return ps.executeUpdate() > 0;
  }
}
