package dev.cachet.disk;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The store's use of {@link WriteJournal}s: this process's journal (created by the first
 * journaled put), applying journaled puts inside a group commit's transaction unless a later
 * removal recorded in the {@code drops} table covers them, recording those removals, and
 * replaying the journals of processes that stopped.
 */
final class JournalApplier {
  /** This process's journal, created by the first journaled put; null until then. */
  private volatile WriteJournal journal;
  /** The journal could not be created: puts are written to the database directly. */
  private volatile boolean journalUnavailable;
  private final Object journalInit = new Object();
  /** When drops were last pruned; guarded by {@link WriterConnection#lock}. */
  private long lastDropPruneMillis;

  private final StoreContext ctx;
  private final WriterConnection writer;
  private final EntryRows rows;

  JournalApplier(StoreContext ctx, EntryRows rows) {
    this.ctx = ctx;
    this.writer = ctx.writer;
    this.rows = rows;
  }

  /** This process's journal, or null while no put has created it. */
  WriteJournal current() {
    return journal;
  }

  /** This process's journal, created on first use; null if it cannot be. */
  WriteJournal journal() {
    WriteJournal j = journal;
    if (j != null || journalUnavailable) {
      return j;
    }
    synchronized (journalInit) {
      if (journal == null && !journalUnavailable) {
        ctx.ensureOpen();
        try {
          journal = WriteJournal.create(ctx.journalDir, ctx.modes,
              ctx.options.durability() == Durability.POWER_LOSS);
        } catch (IOException | RuntimeException e) {
          journalUnavailable = true;
          ctx.logOnce("journal", Level.WARNING, ctx.describe() + ": cannot create a journal in "
              + ctx.journalDir + " (" + e + "); puts are written to the database directly", e);
        }
      }
      return journal;
    }
  }

  /** For {@link DiskStore#close}: the journal as it stands; none is created after this. */
  WriteJournal closeForWrites() {
    WriteJournal j;
    synchronized (journalInit) {
      j = journal;
      journalUnavailable = true; // no journal is created after this
    }
    return j;
  }

  void finishJournal(WriteJournal j, WriteJournal.Batch journaled) {
    try {
      j.finish(journaled);
    } catch (IOException e) {
      ctx.fail("journal", e);
    }
  }

  /** Wall-clock time in microseconds: the order of journaled puts and removals. */
  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /**
   * Writes journaled puts inside the caller's transaction, oldest first, except those that a
   * removal recorded in {@code drops} followed: a removal by another process of the key, its
   * namespace, one of its tags or everything, made after the put was journaled here but
   * before it reached the database, wins, as it would have had the put been written at once.
   * Puts older than {@link DiskStore#DROP_RETENTION_MICROS} (a dead process's journal replayed
   * late) are dropped, since removals that old are forgotten.
   */
  void applyJournal(List<WriteJournal.Entry> entries, Batch batch)
      throws SQLException {
    long oldest = Long.MAX_VALUE;
    for (WriteJournal.Entry e : entries) {
      oldest = Math.min(oldest, e.timeMicros());
    }
    Map<String, Long> drops = new HashMap<>();
    PreparedStatement ps = writer.statement("SELECT scope, at FROM drops WHERE at > ?");
    ps.setLong(1, oldest);
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        drops.put(rs.getString(1), rs.getLong(2));
      }
    }
    long horizon = nowMicros() - DiskStore.DROP_RETENTION_MICROS;
    // Only the newest put of a key matters: the older ones would be overwritten in this very
    // transaction (and a removal that covers the newest covers them too).
    Set<List<String>> seen = new HashSet<>();
    List<WriteJournal.Entry> newest = new ArrayList<>(entries.size());
    for (int i = entries.size() - 1; i >= 0; i--) {
      WriteJournal.Entry e = entries.get(i);
      if (seen.add(List.of(e.namespace(), e.digest()))) {
        newest.add(e);
      } else {
        batch.counts[Counter.WRITES.ordinal()]++; // stored, then replaced
      }
    }
    for (int i = newest.size() - 1; i >= 0; i--) {
      WriteJournal.Entry e = newest.get(i);
      if (e.timeMicros() < horizon || (!drops.isEmpty() && droppedAfter(drops, e))) {
        continue;
      }
      if (e.expires() != 0 && batch.now >= e.expires()) {
        // Expired while journaled: it was stored and has expired; the old value goes too.
        rows.deleteKey(e.namespace(), e.digest(), batch.doomed);
        batch.counts[Counter.EXPIRATIONS.ordinal()]++;
        continue;
      }
      batch.wrote(rows.upsert(e.namespace(), e.digest(), e.frame(), e.expires(), e.tags(), null,
          batch.now, batch.doomed));
      batch.counts[Counter.WRITES.ordinal()]++;
    }
  }

  private static boolean droppedAfter(Map<String, Long> drops, WriteJournal.Entry e) {
    long t = e.timeMicros();
    if (drops.getOrDefault("*", Long.MIN_VALUE) > t
        || drops.getOrDefault("n:" + e.namespace(), Long.MIN_VALUE) > t
        || drops.getOrDefault("k:" + e.namespace() + "\n" + e.digest(), Long.MIN_VALUE) > t) {
      return true;
    }
    for (String tag : e.tags()) {
      if (drops.getOrDefault("t:" + tag, Long.MIN_VALUE) > t) {
        return true;
      }
    }
    return false;
  }

  /**
   * Remembers a removal for journaled puts made before it, in this process or another (see
   * {@link #applyJournal}); forgets removals older than
   * {@link DiskStore#DROP_RETENTION_MICROS} now and then. Inside the caller's transaction.
   */
  void recordDrop(String scope) throws SQLException {
    long now = nowMicros();
    PreparedStatement ps = writer.statement("INSERT INTO drops(scope, at) VALUES (?, ?) "
        + "ON CONFLICT(scope) DO UPDATE SET at = MAX(at, excluded.at)");
    ps.setString(1, scope);
    ps.setLong(2, now);
    ps.executeUpdate();
    long nowMillis = now / 1000;
    if (nowMillis - lastDropPruneMillis >= 60_000) {
      lastDropPruneMillis = nowMillis;
      PreparedStatement prune = writer.statement("DELETE FROM drops WHERE at < ?");
      prune.setLong(1, now - DiskStore.DROP_RETENTION_MICROS);
      prune.executeUpdate();
    }
  }

  /**
   * Replays the journals of processes that stopped without applying them (killed, or their
   * last write failed), in one transaction, then deletes them. A failure is counted and
   * leaves them for the next open.
   *
   * @param commit runs an operation in a group commit ({@link GroupCommit#submit})
   */
  void replayOrphanJournals(Consumer<WriteOp> commit) {
    try (WriteJournal.Orphans orphans = WriteJournal.orphans(ctx.journalDir)) {
      if (orphans.paths().isEmpty()) {
        return;
      }
      Replay replay = new Replay(orphans.entries());
      if (!orphans.entries().isEmpty()) {
        commit.accept(replay); // a failure is counted and logged by the group commit
        if (!replay.committed) {
          return; // the journals stay for the next open
        }
      }
      orphans.discard();
      // Empty journals are what a process killed between batches leaves: not news.
      Level level = orphans.entries().isEmpty() ? Level.DEBUG : Level.INFO;
      StoreContext.LOG.log(level, ctx.describe() + ": replayed " + orphans.entries().size()
          + " journaled puts (" + replay.result + " applied) from " + orphans.paths().size()
          + " journal files of processes that stopped");
    } catch (IOException e) {
      ctx.fail("replay journal", e);
    }
  }

  /** The journaled puts of processes that died, replayed by {@link DiskStore#open}. */
  private final class Replay extends WriteOp {
    final List<WriteJournal.Entry> entries;
    boolean committed;

    Replay(List<WriteJournal.Entry> entries) {
      this.entries = entries;
    }

    @Override
    String name() {
      return "replay journal";
    }

    @Override
    boolean stores() {
      return true;
    }

    @Override
    long apply(Batch batch) throws SQLException {
      long before = batch.counts[Counter.WRITES.ordinal()];
      applyJournal(entries, batch);
      return batch.counts[Counter.WRITES.ordinal()] - before;
    }

    @Override
    void committed(Batch batch) {
      committed = true;
    }
  }
}
