package dev.cachet.cli.simulate;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Belady's optimal replacement (OPT, also called MIN or clairvoyant): on a miss in a full cache,
 * evict the resident key whose next access lies farthest in the future, keys never accessed again
 * first. Every missed key is stored (demand paging): among policies that do the same, none can
 * score more hits on the same trace and size, which makes it the yardstick for the real ones. (A
 * policy that may decline to store a key, as the adaptive policy's admission filter does, is
 * not bound by it in theory, though it stays below it on real traces.)
 *
 * <p>The next access of every position is computed once per trace in O(n) (after an O(n log n)
 * renumbering of keys), then each size is replayed in O(n log n) with a binary max-heap of
 * next-access positions.
 */
public final class Opt {
  /** How many accesses pass between two progress ticks. */
  static final int TICK = 1 << 13;

  private final int[] ids;
  private final int[] nextUse;
  private final int distinct;

  /** Prepares {@code trace} for replays at any number of sizes. */
  public Opt(Trace trace) {
    this.ids = trace.denseIds();
    this.distinct = trace.distinctKeys();
    int n = ids.length;
    if (n > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("trace too long for OPT: " + n + " accesses");
    }
    this.nextUse = new int[n];
    int[] seenAt = new int[distinct];
    Arrays.fill(seenAt, -1);
    for (int i = n - 1; i >= 0; i--) {
      int id = ids[i];
      // A key never accessed again gets a "position" beyond the trace, distinct per key, so every
      // heap value names exactly one key and these keys rank above any real future access.
      nextUse[i] = seenAt[id] < 0 ? n + id : seenAt[id];
      seenAt[id] = i;
    }
  }

  /**
   * The number of hits of an optimal cache holding at most {@code capacity} keys.
   *
   * @throws IllegalArgumentException when {@code capacity} is negative
   */
  public long hits(int capacity) {
    return hits(capacity, done -> { });
  }

  /**
   * Like {@link #hits(int)}, telling {@code tick} every {@link #TICK} accesses (and at the end)
   * how many accesses it replayed since the last tick.
   */
  long hits(int capacity, IntConsumer tick) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be zero or positive, got " + capacity);
    }
    int n = ids.length;
    boolean[] resident = new boolean[distinct];
    // One push per access at most. Entries go stale when their key is accessed again, but a stale
    // entry is a past position while every live entry is a future one, so the maximum is always
    // live and stale entries never need removing: they just sink.
    int[] heap = new int[n];
    int heapSize = 0;
    int residents = 0;
    long hits = 0;
    int sinceTick = 0;
    for (int i = 0; i < n; i++) {
      int id = ids[i];
      int next = nextUse[i];
      if (resident[id]) {
        hits++;
        heapSize = push(heap, heapSize, next);
      } else if (capacity > 0) {
        if (residents == capacity) {
          int victim = heap[0];
          heapSize = popMax(heap, heapSize);
          resident[keyAt(victim, n)] = false;
          residents--;
        }
        resident[id] = true;
        residents++;
        heapSize = push(heap, heapSize, next);
      }
      if (++sinceTick == TICK) {
        tick.accept(sinceTick);
        sinceTick = 0;
      }
    }
    tick.accept(sinceTick);
    return hits;
  }

  private int keyAt(int position, int n) {
    return position < n ? ids[position] : position - n;
  }

  private static int push(int[] heap, int size, int value) {
    int i = size;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent] >= value) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = value;
    return size + 1;
  }

  private static int popMax(int[] heap, int size) {
    int last = heap[--size];
    int i = 0;
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      if (child + 1 < size && heap[child + 1] > heap[child]) {
        child++;
      }
      if (heap[child] <= last) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    if (size > 0) {
      heap[i] = last;
    }
    return size;
  }
}
