package dev.cachet.disk;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Group commit on the writer connection, and what starts one. A writing thread queues its
 * operation, and whichever thread holds {@link WriterConnection#lock} runs every queued
 * operation in one transaction, after the journaled puts and the buffered reads and counters.
 * Besides {@link #submit}, commits start when journaled puts are due (at once when many, else
 * on the common pool within {@link DiskStoreOptions#writeBehind()}) and when buffered reads are
 * (on the common pool).
 */
final class GroupCommit {
  /** The most operations one group commit runs, so one transaction stays short. */
  private static final int MAX_BATCH = 256;
  /** Beyond this many journaled puts (or bytes), the putting thread applies them itself. */
  private static final int JOURNAL_BATCH = 4096;
  private static final long JOURNAL_BATCH_BYTES = 8L << 20;
  /** How many changes the log keeps for {@link ReadCache}s that sync late. */
  static final long CHANGES_KEPT = 100_000;
  /** How often the change log is pruned, at most. */
  private static final long CHANGES_PRUNE_NANOS = 10_000_000_000L;

  private final StoreContext ctx;
  private final WriterConnection writer;
  private final ReadRecorder reads;
  private final JournalApplier journals;
  private final Eviction eviction;
  private final EntryRows rows;
  private final SideFiles sideFiles;
  /** Told of every commit, so that this process's reads see it at once; null when off. */
  private final ReadCache readCache;
  private long prunedAt = System.nanoTime();
  /** Operations waiting for the next group commit. */
  private final ConcurrentLinkedQueue<WriteOp> queue = new ConcurrentLinkedQueue<>();
  /** Whether a delayed application of the journal is pending on the common pool. */
  private final AtomicBoolean applyScheduled = new AtomicBoolean();
  private final AtomicBoolean readFlushScheduled = new AtomicBoolean();

  GroupCommit(StoreContext ctx, JournalApplier journals, Eviction eviction, EntryRows rows,
      SideFiles sideFiles, ReadCache readCache) {
    this.readCache = readCache;
    this.ctx = ctx;
    this.writer = ctx.writer;
    this.reads = ctx.reads;
    this.journals = journals;
    this.eviction = eviction;
    this.rows = rows;
    this.sideFiles = sideFiles;
  }

  /**
   * Runs {@code op} in a group commit and returns once it committed (or failed). The calling
   * thread either finds its operation already committed by another thread's batch, or runs
   * a batch itself with every operation queued meanwhile: writes from many threads share one
   * transaction and its commit.
   *
   * @throws IllegalStateException if the store is closed: this is the check that the store's
   *     removals and {@code flush} rely on
   */
  long submit(WriteOp op) {
    queue.add(op);
    synchronized (writer.lock) {
      if (!op.done) {
        if (ctx.isClosed()) {
          queue.remove(op);
          throw new IllegalStateException("The disk store " + ctx.dir + " is closed");
        }
        runQueued(op);
      }
    }
    if (op.error != null) {
      throw op.error;
    }
    return op.result;
  }

  /**
   * Commits the queue in batches of at most {@link #MAX_BATCH} until {@code own} is done; the
   * queue is FIFO, so that takes a bounded number of batches however busy other writers are.
   */
  private void runQueued(WriteOp own) {
    while (!own.done) {
      List<WriteOp> batch = new ArrayList<>();
      WriteOp next;
      while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
        batch.add(next);
      }
      if (batch.isEmpty()) {
        return; // cannot happen while own is queued; never spin
      }
      commitBatch(batch);
    }
  }

  private void commitBatch(List<WriteOp> ops) {
    try {
      runTransaction(ops);
    } catch (SQLException e) {
      if (ops.size() > 1 && !Sqlite.isBusy(e)) {
        // One bad operation must not cost the others their write: each gets its own try.
        for (WriteOp op : ops) {
          try {
            runTransaction(List.of(op));
          } catch (SQLException e1) {
            failOp(op, e1);
          }
        }
      } else {
        for (WriteOp op : ops) {
          failOp(op, e);
        }
      }
    }
  }

  private void failOp(WriteOp op, SQLException e) {
    op.failed();
    ctx.fail(op.name(), e);
    op.result = 0;
    op.done = true;
  }

  /** One transaction: the buffered reads, the operations, then expiry sweep and eviction. */
  private void runTransaction(List<WriteOp> ops) throws SQLException {
    Batch batch = new Batch(ctx.options);
    ReadRecorder.Taken taken = reads.takePending();
    long[] results = new long[ops.size()];
    RuntimeException[] errors = new RuntimeException[ops.size()];
    WriteJournal j = journals.current();
    // Taken first, so that every put journaled before an operation was queued is applied
    // before it, in the same transaction: this process's removals follow its puts.
    WriteJournal.Batch journaled = j == null ? null : j.take();
    boolean wrote = journaled != null && !journaled.entries().isEmpty();
    try {
      writer.begin();
      try {
        reads.writePending(taken);
        if (wrote) {
          journals.applyJournal(journaled.entries(), batch);
        }
        for (int i = 0; i < ops.size(); i++) {
          try {
            results[i] = ops.get(i).apply(batch);
          } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            errors[i] = e; // the caller's mistake, reported to that caller only
          }
          wrote |= ops.get(i).stores();
        }
        if (wrote) {
          afterWrites(batch);
        }
        // In this transaction, not the next: the last one before close has no next.
        reads.writeCounts(batch.counts);
        pruneChanges();
        writer.commit();
      } catch (SQLException | RuntimeException e) {
        writer.abort();
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      reads.restorePending(taken);
      if (journaled != null && !journaled.entries().isEmpty()) {
        // Dropped, like any write that fails: kept, they would hold every later batch back.
        ctx.fail("put", e);
        journals.finishJournal(j, journaled);
      }
      throw e;
    }
    if (readCache != null && (wrote || !ops.isEmpty())) {
      // Before the journaled puts leave the journal, where reads found them until now.
      readCache.sync();
    }
    if (journaled != null) {
      journals.finishJournal(j, journaled);
    }
    sideFiles.deleteFiles(batch.doomed);
    for (int i = 0; i < ops.size(); i++) {
      WriteOp op = ops.get(i);
      op.result = results[i];
      op.error = errors[i];
      if (errors[i] == null) {
        op.committed(batch);
      }
      op.done = true;
    }
  }

  /**
   * Forgets all but the last {@link #CHANGES_KEPT} changes, now and then. The last one always
   * stays: SQLite numbers a new row one above the largest, so the sequence never restarts.
   */
  private void pruneChanges() throws SQLException {
    long now = System.nanoTime();
    if (now - prunedAt < CHANGES_PRUNE_NANOS) {
      return;
    }
    prunedAt = now;
    writer.statement("DELETE FROM changes WHERE seq < (SELECT max(seq) FROM changes) - "
        + CHANGES_KEPT).executeUpdate();
  }

  /** What every transaction that stored entries does before it commits. */
  private void afterWrites(Batch batch) throws SQLException {
    batch.counts[Counter.EXPIRATIONS.ordinal()] += eviction.sweepExpired(batch.now, batch.doomed);
    batch.counts[Counter.EVICTIONS.ordinal()] += eviction.evict(batch.doomed, batch.written);
    rows.drainDoomedFiles(batch.doomed);
  }

  /**
   * Runs a group commit now: journaled puts, buffered reads and counters, and whatever else is
   * queued.
   */
  void flush() {
    submit(new FlushOnly());
  }

  /** Writes the buffered reads in a transaction of their own. Under the lock. */
  void flushNow() {
    try {
      runTransaction(List.of());
    } catch (SQLException e) {
      ctx.fail("flush", e);
    }
  }

  /** Applies this process's journaled puts now, so the database holds them. Under the lock. */
  void applyJournalNow() {
    WriteJournal j = journals.current();
    if (j != null && j.hasPending()) {
      flushNow();
    }
  }

  /**
   * For the JVM's shutdown hook ({@link DiskStore}): writes this process's journaled puts, as
   * {@link DiskStore#flush} does, if the store is open and has any.
   */
  void applyJournalAtExit() {
    WriteJournal j = journals.current();
    if (ctx.isClosed() || j == null || !j.hasPending()) {
      return;
    }
    try {
      ctx.ensureOpen();
      flush();
    } catch (RuntimeException e) {
      // Closed meanwhile, or failing: the journal stays for the next open to replay.
    }
  }

  /**
   * After an append: applies the journal now when it has grown large (which also bounds its
   * memory), else makes sure an application is scheduled within the write-behind delay.
   */
  void journaled(WriteJournal j) {
    if (j.holdsAtLeast(JOURNAL_BATCH, JOURNAL_BATCH_BYTES)) {
      submit(new FlushOnly());
    } else if (applyScheduled.compareAndSet(false, true)) {
      CompletableFuture.delayedExecutor(ctx.options.writeBehind().toNanos(), TimeUnit.NANOSECONDS)
          .execute(this::applyScheduledJournal);
    }
  }

  private void applyScheduledJournal() {
    applyScheduled.set(false);
    WriteJournal j = journals.current();
    if (ctx.isClosed() || j == null || !j.hasPending()) {
      return;
    }
    try {
      submit(new FlushOnly());
    } catch (IllegalStateException closedMeanwhile) {
      // close() applied the journal itself.
    }
  }

  /**
   * Writes the buffered reads on the common pool, once at a time: the get that found them due
   * returns at once instead of running that transaction (under LRU with uniform reads, one in
   * five gets' time went to it, and the unlucky get waited tens of milliseconds).
   */
  void flushReadsInBackground() {
    // Read first: until the flush takes the buffer, every read finds it due, and a failing
    // compare-and-set still claims the cache line.
    if (!readFlushScheduled.get() && readFlushScheduled.compareAndSet(false, true)) {
      CompletableFuture.runAsync(() -> {
        try {
          if (!ctx.isClosed()) {
            submit(new FlushOnly());
          }
        } catch (IllegalStateException closedMeanwhile) {
          // close() wrote them itself.
        } finally {
          readFlushScheduled.set(false);
        }
      });
    }
  }

  /** Triggers a group commit that writes the buffered reads (and whatever else is queued). */
  private static final class FlushOnly extends WriteOp {
    @Override
    String name() {
      return "flush";
    }

    @Override
    long apply(Batch batch) {
      return 0;
    }
  }
}
