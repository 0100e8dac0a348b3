package dev.cachet.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One entry of a {@link PolicyStore}, linked intrusively into every ordering structure the store
 * keeps, so that moving an entry inside any of them is a handful of pointer updates and never an
 * allocation.
 *
 * <p>Only {@link #key}, {@link #value} and the three times are read without the store's lock (by
 * {@code get} and {@code peek}); every other field is owned by the lock holder. A node is never
 * reused for another key: a removed node is marked dead and left for the garbage collector, so a
 * reader that still holds it after removal sees a consistent, if stale, entry.
 */
final class Node {
  private static final VarHandle ACCESS_TIME;

  static {
    try {
      ACCESS_TIME = MethodHandles.lookup().findVarHandle(Node.class, "accessTime", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The key; never null. */
  final Object key;

  /** The current value; replaced in place while the entry lives. Volatile for lock-free reads. */
  volatile Object value;

  /** Weight counted against {@code maximumWeight}; 1 when the store has no weigher. */
  long weight;

  /** Time of the last write, for expire-after-write. Volatile because readers check it. */
  volatile long writeTime;

  /**
   * Time of the last read or write, for expire-after-access. Written by readers without the lock
   * through opaque access: a fence per read would cost more than the occasional stale value, and
   * the lock holder re-checks the real time before reclaiming.
   */
  @SuppressWarnings("unused") // accessed through ACCESS_TIME
  private long accessTime;

  /**
   * Deadline from the per-entry expiry at the last write; far in the future when that write got
   * no own lifetime, so that readers need no second field to know whether it applies.
   */
  volatile long variableDeadline;

  /** False once the entry left the store; buffered reads of dead nodes are ignored. */
  boolean alive = true;

  /** Neighbours in the eviction order (the LRU or FIFO list, or the LFU bucket's list). */
  Node prev;
  Node next;

  /** The frequency bucket holding this node; LFU only. */
  FrequencyBucket bucket;

  /** Neighbours in the write-order queue, when that queue is not the policy list itself. */
  Node writePrev;
  Node writeNext;

  /** Neighbours in the access-order queue, when that queue is not the policy list itself. */
  Node accessPrev;
  Node accessNext;

  /** Neighbours in the timer wheel bucket, and that bucket's index, or -1 when not scheduled. */
  Node timerPrev;
  Node timerNext;
  int timerSlot = -1;

  Node(Object key, Object value, long weight) {
    this.key = key;
    this.value = value;
    this.weight = weight;
  }

  /** Last read or write time; may lag a concurrent reader by a few nanoseconds of visibility. */
  long accessTime() {
    return (long) ACCESS_TIME.getOpaque(this);
  }

  /** Records a read or write at {@code now}. */
  void setAccessTime(long now) {
    ACCESS_TIME.setOpaque(this, now);
  }

  @Override
  public String toString() {
    return "Node[" + key + "=" + value + "]";
  }
}
