package dev.cachet.disk;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a transaction that stored entries removes before it commits: expired rows (a bounded
 * sweep) and, beyond {@link DiskStoreOptions#maximumBytes()}, rows in the eviction policy's order.
 * Inside the caller's transaction, under {@link WriterConnection#lock}.
 */
final class Eviction {
  /**
   * Rows at most this many: eviction orders the whole table exactly. Beyond it, each round
   * orders a sample of {@value #EVICTION_SAMPLE} rows ({@value #EVICTION_WINDOWS} windows of
   * consecutive rows, each from a random rowid), as Redis approximates LRU: no index on write
   * or access times is then needed (see Schema.createSchema), and a round costs the same at any
   * store size.
   */
  static final int EXACT_EVICTION_ROWS = 512;
  static final int EVICTION_SAMPLE = 128;
  /** The sample is this many windows of consecutive rows, each from a random rowid. */
  static final int EVICTION_WINDOWS = 8;
  /** Victims taken from one sample at most, so that the next round samples elsewhere. */
  private static final int VICTIMS_PER_SAMPLE = 4;

  private final DiskStoreOptions options;
  private final WriterConnection writer;

  Eviction(DiskStoreOptions options, WriterConnection writer) {
    this.options = options;
    this.writer = writer;
  }

  /** Deletes up to {@link DiskStoreOptions#sweepLimit()} expired rows; returns how many. */
  long sweepExpired(long now, List<String> doomed) throws SQLException {
    if (options.sweepLimit() == 0) {
      return 0;
    }
    // A covering-index probe first: the DELETE below costs about a quarter of a put even when
    // nothing has expired (measured), and usually nothing has.
    PreparedStatement probe = writer.statement(
        "SELECT 1 FROM entries WHERE expires > 0 AND expires <= ? LIMIT 1");
    probe.setLong(1, now);
    try (ResultSet rs = probe.executeQuery()) {
      if (!rs.next()) {
        return 0;
      }
    }
    PreparedStatement ps = writer.statement("DELETE FROM entries WHERE id IN (SELECT id "
        + "FROM entries WHERE expires > 0 AND expires <= ? LIMIT ?) RETURNING file");
    ps.setLong(1, now);
    ps.setLong(2, options.sweepLimit());
    return EntryRows.deleteReturningFiles(ps, doomed);
  }

  /**
   * Evicts until the store is within its limit. The entries just written go last: under LFU
   * they have the fewest reads of all and would otherwise always be the victims.
   *
   * <p>Least recently stored orders by {@code created}, LRU by {@code accessed} and LFU by
   * {@code access_count} then {@code accessed}: exactly in small stores, by sampling in large
   * ones.
   */
  long evict(List<String> doomed, List<Long> justWritten) throws SQLException {
    if (options.maximumBytes() == 0) {
      return 0;
    }
    Set<Long> spared = new HashSet<>(justWritten);
    long evicted = 0;
    while (true) {
      long excess = writer.counter("bytes") - options.maximumBytes();
      if (excess <= 0) {
        return evicted;
      }
      long rows = writer.counter("entries");
      // The new entries are only taken when nothing else is left (they alone exceed the
      // limit).
      boolean onlyNew = rows <= spared.size();
      List<long[]> candidates = new ArrayList<>(); // id, size, key1, key2
      List<String> files = new ArrayList<>();
      boolean ordered = rows <= EXACT_EVICTION_ROWS;
      String sql = ordered ? exactSql(spared.size()) : sampleSql();
      Set<Long> seen = new HashSet<>();
      try (Statement s = writer.connection().createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          long id = rs.getLong(1);
          if ((!onlyNew && spared.contains(id)) || !seen.add(id)) {
            continue;
          }
          candidates.add(new long[] {id, rs.getLong(2), rs.getLong(4), rs.getLong(5),
              files.size()});
          files.add(rs.getString(3));
        }
      }
      if (!ordered) {
        candidates.sort((a, b) -> a[2] != b[2] ? Long.compare(a[2], b[2])
            : a[3] != b[3] ? Long.compare(a[3], b[3]) : Long.compare(a[0], b[0]));
      }
      if (candidates.isEmpty()) {
        if (!ordered) {
          continue; // sampled past the last row; sample again
        }
        if (!onlyNew && !spared.isEmpty()) {
          spared.clear(); // only new entries are left; they go in order too
          continue;
        }
        return evicted; // the totals disagree with the rows; nothing left to evict
      }
      PreparedStatement ps = writer.statement("DELETE FROM entries WHERE id = ?");
      int taken = 0;
      for (long[] victim : candidates) {
        if (excess <= 0 || (!ordered && taken == VICTIMS_PER_SAMPLE)) {
          break;
        }
        ps.setLong(1, victim[0]);
        ps.executeUpdate();
        excess -= victim[1];
        String file = files.get((int) victim[4]);
        if (file != null) {
          doomed.add(file);
        }
        taken++;
        evicted++;
      }
    }
  }

  /** The query ordering the whole table, for a store of at most {@link #EXACT_EVICTION_ROWS}. */
  private String exactSql(int spared) {
    return "SELECT id, size, file, " + sortColumns() + " FROM entries ORDER BY "
        + sortColumns().replace(", 0", "") + ", id LIMIT " + (32 + spared);
  }

  /** The query for one sample of a larger store: {@link #EVICTION_WINDOWS} random windows. */
  private String sampleSql() throws SQLException {
    // Several short windows rather than one long one: rowids follow the order keys were
    // first stored, so one window from a random start often holds only recent keys, and
    // the sample would then evict fresh entries while old unread ones stay.
    long min = writer.scalarOn("SELECT COALESCE(MIN(id), 0) FROM entries");
    long max = writer.scalarOn("SELECT COALESCE(MAX(id), 0) FROM entries");
    StringBuilder union = new StringBuilder();
    int windowRows = EVICTION_SAMPLE / EVICTION_WINDOWS;
    for (int w = 0; w < EVICTION_WINDOWS; w++) {
      long start = min < max ? ThreadLocalRandom.current().nextLong(min, max) : min;
      union.append(w == 0 ? "" : " UNION ALL ").append("SELECT * FROM (SELECT id, size, "
          + "file, ").append(sortColumns()).append(" FROM entries WHERE id >= ")
          .append(start).append(" ORDER BY id LIMIT ").append(windowRows).append(')');
    }
    return union.toString();
  }

  /** The policy's order as two columns for {@link #evict}. */
  private String sortColumns() {
    switch (options.eviction()) {
      case LFU:
        return "access_count, accessed";
      case LRU:
        return "accessed, 0";
      default:
        return "created, 0";
    }
  }
}
