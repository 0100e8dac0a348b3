package dev.cachet.disk;

import dev.cachet.codec.CorruptEntryException;
import dev.cachet.codec.EntryFrame;
import dev.cachet.tier.StoreStats;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The store's reads for tools and statistics ({@link DiskStore#digests},
 * {@link DiskStore#entries}, {@link DiskStore#peek}, {@link DiskStore#stats}): on the writer
 * connection under its lock, after applying this process's journal, counting no reads.
 */
final class Inspection {
  private final StoreContext ctx;
  private final WriterConnection writer;
  private final SideFiles sideFiles;
  private final GroupCommit commits;
  private final Path filesDir;

  Inspection(StoreContext ctx, SideFiles sideFiles, GroupCommit commits) {
    this.ctx = ctx;
    this.writer = ctx.writer;
    this.sideFiles = sideFiles;
    this.commits = commits;
    this.filesDir = ctx.filesDir;
  }

  /** See {@link DiskStore#digests}. */
  List<String> digests(String namespace, int limit) {
    Objects.requireNonNull(namespace, "namespace");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, got " + limit);
    }
    List<String> out = new ArrayList<>();
    if (limit == 0) {
      return out;
    }
    synchronized (writer.lock) {
      ctx.ensureOpen();
      commits.applyJournalNow();
      try (PreparedStatement ps = writer.connection().prepareStatement("SELECT digest FROM entries"
          + " WHERE namespace = ? AND (expires = 0 OR expires > ?) LIMIT ?")) {
        ps.setString(1, namespace);
        ps.setLong(2, ctx.options.clock().millis());
        ps.setInt(3, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      } catch (SQLException e) {
        ctx.fail("digests", e);
      }
    }
    return out;
  }

  /** See {@link DiskStore#entries(String, String, int)}. */
  List<EntryInfo> entries(String namespaceOrNull, String digestOrNull, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    synchronized (writer.lock) {
      ctx.ensureOpen();
      commits.applyJournalNow();
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
      try (PreparedStatement ps = writer.connection().prepareStatement(sql.toString())) {
        EntryRows.bind(ps, args.toArray());
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
              EntryFrame f = EntryFrame.decode(sideFiles.readStored(rs.getBytes(9), file));
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
        ctx.fail("entries", e);
      }
      return result;
    }
  }

  /** See {@link DiskStore#peek}. */
  EntryFrame peek(String namespace, String digest) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(digest, "digest");
    synchronized (writer.lock) {
      ctx.ensureOpen();
      commits.applyJournalNow();
      try (PreparedStatement ps = writer.connection().prepareStatement(
          "SELECT value, file FROM entries WHERE namespace = ? AND digest = ?")) {
        ps.setString(1, namespace);
        ps.setString(2, digest);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next()
              ? EntryFrame.decode(sideFiles.readStored(rs.getBytes(1), rs.getString(2)))
              : null;
        }
      } catch (CorruptEntryException | IOException e) {
        return null;
      } catch (SQLException e) {
        ctx.fail("peek", e);
        return null;
      }
    }
  }

  /** See {@link DiskStore#stats}. */
  StoreStats stats() {
    // Under the lock no group commit is between taking the buffered counters and committing
    // them, so the database's and the buffer's counts never overlap or miss each other.
    synchronized (writer.lock) {
      ctx.ensureOpen();
      commits.applyJournalNow();
      Map<String, Long> db = new HashMap<>();
      try (Statement s = writer.connection().createStatement();
          ResultSet rs = s.executeQuery("SELECT name, value FROM counters")) {
        while (rs.next()) {
          db.put(rs.getString(1), rs.getLong(2));
        }
      } catch (SQLException e) {
        ctx.fail("stats", e);
      }
      long[] c = ctx.reads.totals(db);
      return new StoreStats(db.getOrDefault("entries", 0L), db.getOrDefault("bytes", 0L),
          c[Counter.HITS.ordinal()], c[Counter.MISSES.ordinal()], c[Counter.WRITES.ordinal()],
          c[Counter.EVICTIONS.ordinal()], c[Counter.EXPIRATIONS.ordinal()],
          c[Counter.CORRUPTIONS.ordinal()], c[Counter.FAILURES.ordinal()]);
    }
  }
}
