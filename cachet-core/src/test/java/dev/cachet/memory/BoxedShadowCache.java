package dev.cachet.memory;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The first {@link ShadowCache}, on a boxed {@code HashMap} and linked entry objects, kept as the
 * reference that the primitive-array version must agree with access for access (see
 * {@code ShadowCacheTest}): the shadows choose the live setting, so any divergence would move
 * SHADOW_TUNED's hit ratios.
 */
final class BoxedShadowCache {
  private static final int WINDOW = 0;
  private static final int PROBATION = 1;
  private static final int PROTECTED = 2;

  /** One remembered hash and its place. */
  private static final class Entry {
    final int hash;
    int queue;
    Entry prev;
    Entry next;

    Entry(int hash) {
      this.hash = hash;
    }
  }

  /** A least-recently-used list of entries: head is the oldest. */
  private static final class Queue {
    Entry head;
    Entry tail;
    int size;

    void addLast(Entry e) {
      e.prev = tail;
      e.next = null;
      if (tail == null) {
        head = e;
      } else {
        tail.next = e;
      }
      tail = e;
      size++;
    }

    void remove(Entry e) {
      if (e.prev == null) {
        head = e.next;
      } else {
        e.prev.next = e.next;
      }
      if (e.next == null) {
        tail = e.prev;
      } else {
        e.next.prev = e.prev;
      }
      e.prev = null;
      e.next = null;
      size--;
    }
  }

  private final int capacity;
  private final int windowMax;
  private final int protectedMax;
  private final boolean randomAdmission;
  private final Map<Integer, Entry> entries = new HashMap<>();
  private final Queue[] queues = {new Queue(), new Queue(), new Queue()};
  private final AdmissionSketch sketch;
  private final SplittableRandom random;

  BoxedShadowCache(int capacity, double windowShare, boolean randomAdmission, long seed) {
    this.capacity = capacity;
    this.windowMax = ShadowTunedOrder.windowFor(capacity, windowShare);
    this.protectedMax = (int) ((capacity - windowMax) * 0.8);
    this.randomAdmission = randomAdmission;
    this.sketch = new AdmissionSketch(capacity);
    this.random = new SplittableRandom(seed);
  }

  /** Records an access to {@code hash}; true when it hit. */
  boolean access(int hash) {
    sketch.increment(hash);
    Entry e = entries.get(hash);
    if (e != null) {
      if (e.queue == PROBATION) {
        move(e, PROTECTED);
        while (queues[PROTECTED].size > protectedMax) {
          move(queues[PROTECTED].head, PROBATION);
        }
      } else {
        move(e, e.queue);
      }
      return true;
    }
    e = new Entry(hash);
    e.queue = WINDOW;
    queues[WINDOW].addLast(e);
    entries.put(hash, e);
    while (queues[WINDOW].size > windowMax) {
      Entry candidate = queues[WINDOW].head;
      move(candidate, PROBATION);
      if (entries.size() > capacity) {
        Entry victim = queues[PROBATION].head != candidate ? queues[PROBATION].head
            : queues[PROTECTED].head;
        if (victim == null || admits(candidate.hash, victim.hash)) {
          drop(victim == null ? candidate : victim);
        } else {
          drop(candidate);
        }
      }
    }
    while (entries.size() > capacity) {
      Entry oldest = queues[PROBATION].head != null ? queues[PROBATION].head
          : queues[PROTECTED].head != null ? queues[PROTECTED].head : queues[WINDOW].head;
      drop(oldest);
    }
    return false;
  }

  private boolean admits(int candidate, int victim) {
    int c = sketch.frequency(candidate);
    return c > sketch.frequency(victim)
        || (randomAdmission && c >= 6 && (random.nextInt() & 127) == 0);
  }

  private void move(Entry e, int to) {
    queues[e.queue].remove(e);
    e.queue = to;
    queues[to].addLast(e);
  }

  private void drop(Entry e) {
    queues[e.queue].remove(e);
    entries.remove(e.hash);
  }
}
