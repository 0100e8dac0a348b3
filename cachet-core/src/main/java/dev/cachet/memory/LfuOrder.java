package dev.cachet.memory;

import java.util.Arrays;

/**
 * LFU in O(1) per operation: frequency buckets in increasing count, each holding its entries in
 * order of last access. An access moves the entry from its bucket (count c) to the back of the
 * bucket for c + 1, creating that right after the current one if missing, so buckets stay sorted
 * without ever searching. The victim is the front of the lowest bucket: fewest accesses, least
 * recently used among those.
 *
 * <p>Like the rest of the store, everything lives in int and long arrays: entries by slot, and
 * buckets by a bucket id from a small pool. There are never more buckets than entries plus one
 * (an access may create a bucket just before emptying another), so both pools share a capacity.
 */
final class LfuOrder extends EvictionOrder {
  private static final int NONE = SlotDeque.NONE;

  /**
   * Per entry, side by side so that one cache line serves them all: {@code entries[3 * slot]} is
   * the previous slot in its bucket, {@code + 1} the next one, {@code + 2} its bucket.
   */
  private int[] entries;

  // Per bucket (by bucket id).
  private long[] count;
  private int[] head;
  private int[] tail;
  private int[] lower;
  private int[] higher;
  private int[] freeBuckets;
  private int freeBucketCount;
  private int usedBuckets;

  /** The bucket with the lowest count, or NONE when empty. */
  private int lowest = NONE;

  LfuOrder(int capacity) {
    entries = new int[3 * capacity];
    int buckets = capacity + 1;
    count = new long[buckets];
    head = new int[buckets];
    tail = new int[buckets];
    lower = new int[buckets];
    higher = new int[buckets];
    freeBuckets = new int[buckets];
  }

  @Override
  boolean ordersReads() {
    return true;
  }

  @Override
  void grow(int capacity) {
    entries = Arrays.copyOf(entries, 3 * capacity);
    int buckets = capacity + 1;
    count = Arrays.copyOf(count, buckets);
    head = Arrays.copyOf(head, buckets);
    tail = Arrays.copyOf(tail, buckets);
    lower = Arrays.copyOf(lower, buckets);
    higher = Arrays.copyOf(higher, buckets);
    freeBuckets = Arrays.copyOf(freeBuckets, buckets);
  }

  @Override
  void onInsert(int slot) {
    int b = lowest;
    if (b == NONE || count[b] != 1) {
      int ones = newBucket(1);
      higher[ones] = b;
      if (b != NONE) {
        lower[b] = ones;
      }
      lowest = ones;
      b = ones;
    }
    append(b, slot);
  }

  @Override
  void onRead(int slot) {
    increment(slot);
  }

  @Override
  void onReplace(int slot) {
    increment(slot);
  }

  private void increment(int slot) {
    int from = entries[3 * slot + 2];
    long c = count[from] + 1;
    int to = higher[from];
    if (to == NONE || count[to] != c) {
      if (head[from] == slot && tail[from] == slot) {
        // Alone in its bucket and no bucket for c + 1: renumbering keeps the order intact.
        count[from] = c;
        return;
      }
      to = newBucket(c);
      lower[to] = from;
      higher[to] = higher[from];
      if (higher[from] != NONE) {
        lower[higher[from]] = to;
      }
      higher[from] = to;
    }
    detach(from, slot);
    append(to, slot);
  }

  @Override
  void onRemove(int slot) {
    detach(entries[3 * slot + 2], slot);
  }

  private void append(int b, int slot) {
    int t = tail[b];
    entries[3 * slot] = t;
    entries[3 * slot + 1] = NONE;
    if (t == NONE) {
      head[b] = slot;
    } else {
      entries[3 * t + 1] = slot;
    }
    tail[b] = slot;
    entries[3 * slot + 2] = b;
  }

  /** Unlinks {@code slot} from bucket {@code b}, dropping the bucket if that empties it. */
  private void detach(int b, int slot) {
    int p = entries[3 * slot];
    int x = entries[3 * slot + 1];
    if (p == NONE) {
      head[b] = x;
    } else {
      entries[3 * p + 1] = x;
    }
    if (x == NONE) {
      tail[b] = p;
    } else {
      entries[3 * x] = p;
    }
    if (head[b] == NONE) {
      dropBucket(b);
    }
  }

  private int newBucket(long c) {
    int b = freeBucketCount > 0 ? freeBuckets[--freeBucketCount] : usedBuckets++;
    count[b] = c;
    head[b] = NONE;
    tail[b] = NONE;
    lower[b] = NONE;
    higher[b] = NONE;
    return b;
  }

  private void dropBucket(int b) {
    int lo = lower[b];
    int hi = higher[b];
    if (lo == NONE) {
      lowest = hi;
    } else {
      higher[lo] = hi;
    }
    if (hi != NONE) {
      lower[hi] = lo;
    }
    freeBuckets[freeBucketCount++] = b;
  }

  @Override
  int first() {
    return lowest == NONE ? NONE : head[lowest];
  }

  @Override
  int after(int slot) {
    if (entries[3 * slot + 1] != NONE) {
      return entries[3 * slot + 1];
    }
    int hi = higher[entries[3 * slot + 2]];
    return hi == NONE ? NONE : head[hi];
  }

  @Override
  void reset() {
    lowest = NONE;
    freeBucketCount = 0;
    usedBuckets = 0;
  }

  @Override
  SlotDeque list() {
    return null;
  }
}
