package dev.cachet.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@link Node} of a store with expiry, carrying the times its deadlines derive from. Readers
 * check them without the lock, which is why they are volatile (or opaque).
 */
final class TimedNode extends Node {
  private static final VarHandle ACCESS_TIME;

  static {
    try {
      ACCESS_TIME = MethodHandles.lookup().findVarHandle(TimedNode.class, "accessTime",
          long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Time of the last write, for expire-after-write. */
  volatile long writeTime;

  /**
   * Time of the last read or write, for expire-after-access. Readers write it without the lock
   * through opaque access: a fence per read would cost more than the rare stale value, and the
   * lock holder re-checks the real time before reclaiming.
   */
  @SuppressWarnings("unused") // accessed through ACCESS_TIME
  private long accessTime;

  /**
   * Deadline from the per-entry expiry at the last write; far in the future when that write got
   * no own lifetime, so that readers need no second field to know whether it applies.
   */
  volatile long variableDeadline;

  TimedNode(Object key, Object value, long weight, long ticket) {
    super(key, value, weight, ticket);
  }

  /** Last read or write time. */
  long accessTime() {
    return (long) ACCESS_TIME.getOpaque(this);
  }

  /** Records a read or write at {@code now}. */
  void setAccessTime(long now) {
    ACCESS_TIME.setOpaque(this, now);
  }
}
