package dev.cachet.disk;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the store counts between transactions: hits and misses (without a lock), the other
 * {@link Counter}s, and per entry the reads that LRU and LFU eviction order by. Each group
 * commit takes them ({@link #takePending}) and writes them in its transaction
 * ({@link #writePending}), or puts them back if it fails ({@link #restorePending}).
 */
final class ReadRecorder {
  /** Beyond this many buffered reads while the database fails, the oldest are dropped. */
  private static final int MAX_PENDING_ACCESS = 100_000;
  /**
   * A batch of buffered reads records every read exactly until it holds this many distinct
   * entries; from then on a read is recorded with probability 1 / {@value #ACCESS_SAMPLE}
   * (and then counted that many times, so counts stay right on average). Writing a batch costs
   * about one row rewrite per distinct entry: with uniform reads over a large store that was
   * most of a get's cost (measured: 11 µs per get instead of 7), and eviction beyond
   * {@link Eviction#EXACT_EVICTION_ROWS} rows samples anyway. Small working sets stay exact.
   * Sampling every read, not only reads of entries not yet in the batch, spares the rest a hash
   * map lookup, which with uniform reads is a cache miss or two: with gets at 1.4 µs, looking each
   * one up cost an LRU get about a quarter more than a default one.
   */
  static final int EXACT_ACCESS_ROWS = 512;
  static final int ACCESS_SAMPLE = 32;

  /** Guards {@link #pending}, and the swap of the read buffers below for a transaction. */
  private final Object pendingLock = new Object();
  /** Counters not yet added to the database's, indexed by {@link Counter#ordinal()}. */
  private final long[] pending = new long[Counter.values().length];
  /*
   * What reads buffer, without a lock: with one monitor taken by every read, two threads
   * reading at once served fewer gets than one (measured: 175 k/s against 190 k/s).
   */
  private final LongAdder readHits = new LongAdder();
  private final LongAdder readMisses = new LongAdder();
  private final LongAdder readsSinceFlush = new LongAdder();
  /**
   * Entry id to {reads, last read time}: reads not yet written to the database, under LRU and
   * LFU. A read racing with {@link #takePending} may land in the map just taken and be lost:
   * reads only steer eviction, which samples anyway.
   */
  private volatile ConcurrentHashMap<Long, long[]> pendingAccess = new ConcurrentHashMap<>();
  private volatile long lastFlushMillis;
  /** Whether reads are recorded per entry: only LRU and LFU eviction order by them. */
  private final boolean recordsReads;
  private final DiskStoreOptions options;
  private final WriterConnection writer;

  ReadRecorder(DiskStoreOptions options, WriterConnection writer) {
    this.options = options;
    this.writer = writer;
    this.recordsReads = options.eviction() != EvictionMode.LEAST_RECENTLY_STORED;
    this.lastFlushMillis = options.clock().millis();
  }

  /**
   * Counts a hit of the entry at rowid {@code id} and, under LRU and LFU, records the read.
   *
   * @return whether the buffered reads are due to be written
   */
  boolean hit(long id, long now) {
    readHits.increment();
    // Only LRU and LFU order by reads; recording them costs every batch a rewrite of the
    // table pages the reads touched (measured: a third of a get's time with uniform reads).
    if (recordsReads) {
      recordRead(id, now);
    }
    return readCounted(now);
  }

  /** Counts a hit served by the journal; says whether the buffered reads are due. */
  boolean journaledHit(long now) {
    readHits.increment();
    return readCounted(now);
  }

  /** Counts a miss; says whether the buffered reads are due to be written. */
  boolean miss() {
    readMisses.increment();
    // Without this a store that only misses would keep its counters in memory until close.
    return readCounted(options.clock().millis());
  }

  private void recordRead(long id, long now) {
    ConcurrentHashMap<Long, long[]> access = pendingAccess;
    if (access.mappingCount() < EXACT_ACCESS_ROWS) {
      long[] a = access.get(id);
      if (a != null) {
        // Two threads reading one entry at once may lose one of their updates here: a read
        // count one short, which steers eviction no worse than the sampling below does.
        a[0]++;
        a[1] = Math.max(a[1], now);
      } else {
        access.merge(id, new long[] {1, now}, ReadRecorder::mergeReads);
      }
    } else if (ThreadLocalRandom.current().nextInt(ACCESS_SAMPLE) == 0) {
      // Counted ACCESS_SAMPLE times, so that access counts stay right on average.
      access.merge(id, new long[] {ACCESS_SAMPLE, now}, ReadRecorder::mergeReads);
    }
  }

  /** Two records of reads of one entry as one: {reads, last read time}. */
  private static long[] mergeReads(long[] a, long[] b) {
    return new long[] {a[0] + b[0], Math.max(a[1], b[1])};
  }

  /** Counts one read; says whether the buffered reads are due to be written. */
  private boolean readCounted(long now) {
    readsSinceFlush.increment();
    if (now - lastFlushMillis >= options.accessFlushInterval().toMillis()) {
      return true;
    }
    // Summing the adder reads every thread's cell; one read in 64 is enough to notice a
    // large threshold passed.
    int every = options.accessFlushReads();
    return (every <= 64 || ThreadLocalRandom.current().nextInt(64) == 0)
        && readsSinceFlush.sum() >= every;
  }

  /** Buffered reads and counters taken out of the buffer for one transaction. */
  record Taken(Map<Long, long[]> access, long[] counts) {
  }

  void addPending(Counter counter, long delta) {
    synchronized (pendingLock) {
      pending[counter.ordinal()] += delta;
    }
  }

  /**
   * Takes the buffered reads and counters for the transaction about to run; readers keep
   * buffering into fresh ones meanwhile. Under the lock.
   */
  Taken takePending() {
    synchronized (pendingLock) {
      long[] counts = pending.clone();
      Arrays.fill(pending, 0);
      // Each cell is taken with an atomic swap: no count racing with this is lost.
      counts[Counter.HITS.ordinal()] += readHits.sumThenReset();
      counts[Counter.MISSES.ordinal()] += readMisses.sumThenReset();
      readsSinceFlush.reset();
      Taken taken = new Taken(pendingAccess, counts);
      pendingAccess = new ConcurrentHashMap<>();
      lastFlushMillis = options.clock().millis();
      return taken;
    }
  }

  /** Puts back what a failed transaction did not write. */
  void restorePending(Taken taken) {
    synchronized (pendingLock) {
      for (int i = 0; i < pending.length; i++) {
        pending[i] += taken.counts()[i];
      }
      if (pendingAccess.size() + taken.access().size() <= MAX_PENDING_ACCESS) {
        taken.access().forEach((id, access) -> pendingAccess.merge(id, access,
            ReadRecorder::mergeReads));
      } // else dropped: reads only steer eviction, and memory must stay bounded
    }
  }

  /** Writes buffered reads and counters inside the caller's transaction. */
  void writePending(Taken taken) throws SQLException {
    if (!taken.access().isEmpty()) {
      // One statement for the whole batch, its rows passed as one JSON array of
      // [id, reads, last read] triples: thousands of executions of a one-row UPDATE cost
      // more in driver round trips than SQLite's work.
      StringBuilder json = new StringBuilder(taken.access().size() * 32).append('[');
      for (Map.Entry<Long, long[]> e : taken.access().entrySet()) {
        if (json.length() > 1) {
          json.append(',');
        }
        json.append('[').append(e.getKey()).append(',').append(e.getValue()[0]).append(',')
            .append(e.getValue()[1]).append(']');
      }
      PreparedStatement ps = writer.statement("UPDATE entries "
          + "SET access_count = access_count + a.n, "
          + "accessed = MAX(accessed, a.t) FROM (SELECT value ->> 0 AS id, value ->> 1 AS n, "
          + "value ->> 2 AS t FROM json_each(?)) AS a WHERE entries.id = a.id");
      ps.setString(1, json.append(']').toString());
      ps.executeUpdate();
    }
    writeCounts(taken.counts());
  }

  /** Adds counts to the database's counters inside the caller's transaction. */
  void writeCounts(long[] counts) throws SQLException {
    for (Counter counter : Counter.values()) {
      if (counts[counter.ordinal()] != 0) {
        PreparedStatement ps = writer.statement(
            "UPDATE counters SET value = value + ? WHERE name = ?");
        ps.setLong(1, counts[counter.ordinal()]);
        ps.setString(2, counter.name().toLowerCase());
        ps.executeUpdate();
      }
    }
  }

  /**
   * The database's counters ({@code stored}, by name) plus those buffered here, indexed by
   * {@link Counter#ordinal()}.
   */
  long[] totals(Map<String, Long> stored) {
    long[] c = new long[Counter.values().length];
    synchronized (pendingLock) {
      for (Counter counter : Counter.values()) {
        c[counter.ordinal()] = stored.getOrDefault(counter.name().toLowerCase(), 0L)
            + pending[counter.ordinal()];
      }
    }
    c[Counter.HITS.ordinal()] += readHits.sum();
    c[Counter.MISSES.ordinal()] += readMisses.sum();
    return c;
  }
}
