package dev.cachet.memory;

import dev.cachet.stats.RemovalCause;
import java.lang.System.Logger.Level;

/**
 * The removals one operation made while holding the store's lock, kept so that the listener is
 * called only after the lock is released (a slow or re-entrant listener then blocks nobody) and
 * still on the thread that caused them.
 */
final class PendingRemovals {
  private static final System.Logger LOG = System.getLogger(PolicyStore.class.getName());

  private Object[] keys = new Object[4];
  private Object[] values = new Object[4];
  private RemovalCause[] causes = new RemovalCause[4];
  private int size;

  void add(Object key, Object value, RemovalCause cause) {
    if (size == keys.length) {
      int n = size * 2;
      keys = java.util.Arrays.copyOf(keys, n);
      values = java.util.Arrays.copyOf(values, n);
      causes = java.util.Arrays.copyOf(causes, n);
    }
    keys[size] = key;
    values[size] = value;
    causes[size] = cause;
    size++;
  }

  /**
   * Tells {@code listener} about each removal in the order they happened. A throwing listener
   * breaks its contract; it is logged and the remaining removals are still reported, because
   * skipping them would leave callers' bookkeeping (statistics, resources) inconsistent.
   */
  void notify(MemoryStore.RemovalListener listener) {
    for (int i = 0; i < size; i++) {
      try {
        listener.onRemoval(keys[i], values[i], causes[i]);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "removal listener threw for cause " + causes[i], e);
      }
    }
  }
}
