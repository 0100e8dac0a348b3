package dev.cachet.cli.simulate.candidates;

import java.util.HashMap;
import java.util.Map;

/**
 * LIRS (Jiang and Zhang, "LIRS: An Efficient Low Inter-reference Recency Set Replacement Policy
 * to Improve Buffer Cache Performance", SIGMETRICS 2002). Keys whose last two accesses were
 * close (low inter-reference recency, "LIR") hold 99% of the entries; the remaining 1% is a FIFO
 * queue Q of resident "HIR" keys, the only ones ever evicted. A recency stack S orders LIR keys
 * and recently seen HIR keys, resident or not; a HIR key hit while still in S has shown a
 * shorter reuse distance than the oldest LIR key, so the two swap status. S is pruned so its
 * bottom is always a LIR key.
 *
 * <p>The paper leaves the number of non-resident HIR keys in S unbounded; so does this model (the
 * traces replayed are small), which shows LIRS at its best.
 */
public final class LirsCache implements CandidateCache {
  private final int capacity;
  private final int lirTarget;
  private final Map<Long, Entry> entries = new HashMap<>();
  /** Stack S: sHead is the top (most recent), sTail the bottom. */
  private Entry sHead;
  private Entry sTail;
  /** Queue Q of resident HIR keys: qHead is the newest, qTail the next to evict. */
  private Entry qHead;
  private Entry qTail;
  private int lirCount;
  private int residentCount;

  /** One key's LIRS state: its status and its places in S and Q. */
  private static final class Entry {
    final long key;
    boolean lir;
    boolean resident;
    boolean inStack;
    boolean inQueue;
    Entry sPrev;
    Entry sNext;
    Entry qPrev;
    Entry qNext;

    Entry(long key) {
      this.key = key;
    }
  }

  /** A LIRS cache of at most {@code capacity} keys, 1% (at least one) of them HIR. */
  public LirsCache(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
    this.lirTarget = capacity == 1 ? 1 : capacity - Math.max(1, capacity / 100);
  }

  @Override
  public boolean access(long key) {
    Entry e = entries.get(key);
    if (e != null && e.lir) {
      boolean wasBottom = e == sTail;
      pushTop(e);
      if (wasBottom) {
        prune();
      }
      return true;
    }
    if (e != null && e.resident) {
      if (e.inStack) {
        promote(e);
      } else {
        pushTop(e);
        queueRemove(e);
        queueAdd(e);
      }
      return true;
    }
    // A miss: the key is new or a non-resident HIR key.
    if (residentCount == capacity) {
      evictHir();
    }
    if (e == null) {
      e = new Entry(key);
      entries.put(key, e);
    }
    e.resident = true;
    residentCount++;
    if (lirCount < lirTarget) {
      // Warming up: every key is LIR until the LIR set is full.
      e.lir = true;
      lirCount++;
      pushTop(e);
    } else if (e.inStack) {
      promote(e);
    } else {
      pushTop(e);
      queueAdd(e);
    }
    return false;
  }

  /** A resident or non-resident HIR key in S becomes LIR; the bottom LIR key becomes HIR. */
  private void promote(Entry e) {
    if (e.inQueue) {
      queueRemove(e);
    }
    e.lir = true;
    lirCount++;
    pushTop(e);
    Entry bottom = sTail;
    stackRemove(bottom);
    bottom.lir = false;
    lirCount--;
    queueAdd(bottom);
    prune();
  }

  private void evictHir() {
    Entry victim = qTail;
    if (victim == null) {
      // Only with a single slot and it LIR: demote it so something can go.
      victim = sTail;
      stackRemove(victim);
      victim.lir = false;
      lirCount--;
      entries.remove(victim.key);
      victim.resident = false;
      residentCount--;
      return;
    }
    queueRemove(victim);
    victim.resident = false;
    residentCount--;
    if (!victim.inStack) {
      entries.remove(victim.key);
    }
  }

  /** Removes HIR keys from the bottom of S until a LIR key is there. */
  private void prune() {
    while (sTail != null && !sTail.lir) {
      Entry b = sTail;
      stackRemove(b);
      if (!b.resident) {
        entries.remove(b.key);
      }
    }
  }

  private void pushTop(Entry e) {
    if (e.inStack) {
      stackRemove(e);
    }
    e.sPrev = null;
    e.sNext = sHead;
    if (sHead == null) {
      sTail = e;
    } else {
      sHead.sPrev = e;
    }
    sHead = e;
    e.inStack = true;
  }

  private void stackRemove(Entry e) {
    if (e.sPrev == null) {
      sHead = e.sNext;
    } else {
      e.sPrev.sNext = e.sNext;
    }
    if (e.sNext == null) {
      sTail = e.sPrev;
    } else {
      e.sNext.sPrev = e.sPrev;
    }
    e.sPrev = null;
    e.sNext = null;
    e.inStack = false;
  }

  private void queueAdd(Entry e) {
    e.qPrev = null;
    e.qNext = qHead;
    if (qHead == null) {
      qTail = e;
    } else {
      qHead.qPrev = e;
    }
    qHead = e;
    e.inQueue = true;
  }

  private void queueRemove(Entry e) {
    if (e.qPrev == null) {
      qHead = e.qNext;
    } else {
      e.qPrev.qNext = e.qNext;
    }
    if (e.qNext == null) {
      qTail = e.qPrev;
    } else {
      e.qNext.qPrev = e.qPrev;
    }
    e.qPrev = null;
    e.qNext = null;
    e.inQueue = false;
  }

  /** The resident HIR keys from the next to evict, then the LIR keys from the stack's bottom. */
  @Override
  public long[] residentKeys() {
    long[] keys = new long[residentCount];
    int i = 0;
    for (Entry e = qTail; e != null; e = e.qPrev) {
      keys[i++] = e.key;
    }
    for (Entry e = sTail; e != null; e = e.sPrev) {
      if (e.lir) {
        keys[i++] = e.key;
      }
    }
    return keys;
  }

  @Override
  public int size() {
    return residentCount;
  }
}
