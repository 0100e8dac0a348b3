package dev.cachet.memory;

/**
 * A hierarchical timer wheel for per-entry deadlines, which, unlike the store-wide lifetimes,
 * have no natural order to queue entries in. Scheduling, rescheduling and cancelling are O(1);
 * advancing the clock visits only the buckets whose time span has been reached, and an entry
 * moves down at most once per level before it expires, so reclamation is O(1) amortized.
 *
 * <p>Level {@code l} has 64 buckets, each covering {@code 2^SHIFTS[l]} nanoseconds (about 1 ms,
 * 67 ms, 4.3 s, 4.6 min, 4.9 h and 13 days). An entry goes to the finest level whose 64 buckets
 * reach its deadline; deadlines beyond the coarsest level's reach (about 2.3 years) wait in its
 * farthest bucket and are placed again when it comes round. Buckets are doubly linked lists
 * threaded through {@link Node#timerPrev}/{@link Node#timerNext}; the heads live in one array.
 *
 * <p>Not thread-safe: only the holder of the store's lock uses it.
 */
final class TimerWheel {
  private static final int[] SHIFTS = {20, 26, 32, 38, 44, 50};
  private static final int BUCKETS = 64;
  private static final int LEVELS = SHIFTS.length;

  /** Receives each entry whose deadline has passed; it must unlink it from the store. */
  @FunctionalInterface
  interface DueSink {
    void onDue(Node n);
  }

  private final Node[] heads = new Node[LEVELS * BUCKETS];

  /** The time the wheel was last advanced to; placements are relative to it. */
  private long time;

  TimerWheel(long now) {
    this.time = now;
  }

  /** Places {@code n} by its {@link Node#variableDeadline}, moving it if already scheduled. */
  void schedule(Node n) {
    unschedule(n);
    int slot = slotFor(n.variableDeadline);
    Node h = heads[slot];
    n.timerPrev = null;
    n.timerNext = h;
    if (h != null) {
      h.timerPrev = n;
    }
    heads[slot] = n;
    n.timerSlot = slot;
  }

  /** Takes {@code n} out of the wheel; does nothing when it is not scheduled. */
  void unschedule(Node n) {
    int slot = n.timerSlot;
    if (slot < 0) {
      return;
    }
    Node p = n.timerPrev;
    Node x = n.timerNext;
    if (p == null) {
      heads[slot] = x;
    } else {
      p.timerNext = x;
    }
    if (x != null) {
      x.timerPrev = p;
    }
    n.timerPrev = null;
    n.timerNext = null;
    n.timerSlot = -1;
  }

  /**
   * Moves the clock to {@code now}: entries whose deadline passed go to {@code sink}, the others
   * found in visited buckets are placed again, finer. Entries due within the current ~1 ms bucket
   * are only looked at when {@code includeCurrent} is set, which keeps frequent advances from
   * re-scanning the same bucket over and over; an explicit clean-up asks for it.
   */
  void advance(long now, boolean includeCurrent, DueSink sink) {
    long previous = time;
    if (now - previous > 0) {
      time = now;
      for (int level = 0; level < LEVELS; level++) {
        int shift = SHIFTS[level];
        long from = previous >> shift;
        long to = now >> shift;
        if (from == to) {
          // Coarser levels turn even more slowly, so they have not turned either.
          break;
        }
        // The bucket of 'from' may hold entries placed while it was current; include it.
        long span = Math.min(to - from, BUCKETS - 1);
        for (long tick = to - span; tick <= to; tick++) {
          expireBucket(level * BUCKETS + (int) (tick & (BUCKETS - 1)), now, sink);
        }
      }
    }
    if (includeCurrent) {
      expireBucket((int) ((time >> SHIFTS[0]) & (BUCKETS - 1)), time, sink);
    }
  }

  private void expireBucket(int slot, long now, DueSink sink) {
    Node n = heads[slot];
    if (n == null) {
      return;
    }
    // Detach the whole bucket first: entries placed again may land in this very slot.
    heads[slot] = null;
    while (n != null) {
      Node next = n.timerNext;
      n.timerPrev = null;
      n.timerNext = null;
      n.timerSlot = -1;
      if (now - n.variableDeadline >= 0) {
        sink.onDue(n);
      } else {
        schedule(n);
      }
      n = next;
    }
  }

  /** Forgets every entry at once; the nodes are being discarded. */
  void reset() {
    java.util.Arrays.fill(heads, null);
  }

  private int slotFor(long deadline) {
    // An already passed deadline is due in the current bucket, not in a past one that the clock
    // will not visit again for a whole turn.
    long d = deadline - time < 0 ? time : deadline;
    for (int level = 0; level < LEVELS; level++) {
      int shift = SHIFTS[level];
      if ((d >> shift) - (time >> shift) < BUCKETS) {
        return level * BUCKETS + (int) ((d >> shift) & (BUCKETS - 1));
      }
    }
    int top = LEVELS - 1;
    return top * BUCKETS + (int) (((time >> SHIFTS[top]) + BUCKETS - 1) & (BUCKETS - 1));
  }
}
