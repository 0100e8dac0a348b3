package dev.cachet.memory;

import java.util.Arrays;

/**
 * A hierarchical timer wheel for per-entry deadlines, which, unlike the store-wide lifetimes,
 * have no natural order to queue entries in. Scheduling, rescheduling and cancelling are O(1);
 * advancing the clock visits only the buckets whose time span has been reached, and an entry
 * moves down at most once per level before it expires, so reclamation is O(1) amortized.
 *
 * <p>Level {@code l} has 64 buckets, each covering {@code 2^SHIFTS[l]} nanoseconds (about 1 ms,
 * 67 ms, 4.3 s, 4.6 min, 4.9 h and 13 days). An entry goes to the finest level whose 64 buckets
 * reach its deadline; deadlines beyond the coarsest level's reach (about 2.3 years) wait in its
 * farthest bucket and are placed again when it comes round. Buckets are doubly linked lists of
 * slots kept in int arrays, like every other per-entry structure of the store.
 *
 * <p>Not thread-safe: only the holder of the store's lock uses it.
 */
final class TimerWheel {
  private static final int NONE = SlotDeque.NONE;
  private static final int[] SHIFTS = {20, 26, 32, 38, 44, 50};
  private static final int BUCKETS = 64;
  private static final int LEVELS = SHIFTS.length;

  /** Receives each slot whose deadline has passed; it must remove that entry from the store. */
  @FunctionalInterface
  interface DueSink {
    void onDue(int slot);
  }

  private final int[] heads = new int[LEVELS * BUCKETS];
  private int[] prev;
  private int[] next;
  /** The bucket holding each slot, or NONE when it is not scheduled. */
  private int[] bucketOf;
  private long[] deadline;

  /** The time the wheel was last advanced to; placements are relative to it. */
  private long time;

  TimerWheel(long now, int capacity) {
    time = now;
    Arrays.fill(heads, NONE);
    prev = new int[capacity];
    next = new int[capacity];
    bucketOf = new int[capacity];
    Arrays.fill(bucketOf, NONE);
    deadline = new long[capacity];
  }

  /** Makes room for slots below {@code capacity}. */
  void grow(int capacity) {
    int old = bucketOf.length;
    prev = Arrays.copyOf(prev, capacity);
    next = Arrays.copyOf(next, capacity);
    bucketOf = Arrays.copyOf(bucketOf, capacity);
    Arrays.fill(bucketOf, old, capacity, NONE);
    deadline = Arrays.copyOf(deadline, capacity);
  }

  /** Schedules {@code slot} to fall due at {@code at}, moving it if already scheduled. */
  void schedule(int slot, long at) {
    unschedule(slot);
    deadline[slot] = at;
    link(slot, bucketFor(at));
  }

  /** Cancels {@code slot}'s deadline; does nothing when it has none. */
  void unschedule(int slot) {
    int b = bucketOf[slot];
    if (b == NONE) {
      return;
    }
    int p = prev[slot];
    int x = next[slot];
    if (p == NONE) {
      heads[b] = x;
    } else {
      next[p] = x;
    }
    if (x != NONE) {
      prev[x] = p;
    }
    bucketOf[slot] = NONE;
  }

  private void link(int slot, int b) {
    int h = heads[b];
    prev[slot] = NONE;
    next[slot] = h;
    if (h != NONE) {
      prev[h] = slot;
    }
    heads[b] = slot;
    bucketOf[slot] = b;
  }

  /**
   * Moves the clock to {@code now}: slots whose deadline passed go to {@code sink}, the others
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

  private void expireBucket(int b, long now, DueSink sink) {
    int slot = heads[b];
    if (slot == NONE) {
      return;
    }
    // Detach the whole bucket first: entries placed again may land in this very bucket.
    heads[b] = NONE;
    while (slot != NONE) {
      int following = next[slot];
      bucketOf[slot] = NONE;
      if (now - deadline[slot] >= 0) {
        sink.onDue(slot);
      } else {
        link(slot, bucketFor(deadline[slot]));
      }
      slot = following;
    }
  }

  /** Forgets every deadline at once. */
  void reset() {
    Arrays.fill(heads, NONE);
    Arrays.fill(bucketOf, NONE);
  }

  private int bucketFor(long at) {
    // An already passed deadline is due in the current bucket, not in a past one that the clock
    // will not visit again for a whole turn.
    long d = at - time < 0 ? time : at;
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
