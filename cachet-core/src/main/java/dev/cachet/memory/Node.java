package dev.cachet.memory;

/**
 * One entry of a {@link PolicyStore}. The entry's place in the eviction order and the expiry
 * queues is not kept here but in int arrays indexed by its {@linkplain #slot() slot} (see
 * {@link SlotTable}): relinking then stores ints, not references, and so escapes the garbage
 * collector's write barrier (with G1 a memory fence per reference stored into an old object),
 * which would otherwise dominate the replay of buffered reads under the lock.
 *
 * <p>Only {@link #key}, {@link #value} and {@link #ticket} (and a {@link TimedNode}'s times) are
 * read without the store's lock, by {@code get} and {@code peek}. A node is never reused for
 * another key; once removed it is left to the garbage collector, so a reader still holding it
 * sees a consistent, if stale, entry.
 */
class Node {
  /** The key; never null. */
  final Object key;

  /** The current value; replaced in place while the entry lives. Volatile for lock-free reads. */
  volatile Object value;

  /**
   * The slot in the low 32 bits and a stamp unique to this node (among recent ones) in the high
   * 32 bits. Reads are buffered as tickets, which needs no reference store, and the stamp tells a
   * buffered read of a removed entry from one of the slot's next occupant. Never 0.
   */
  final long ticket;

  /** Weight counted against {@code maximumWeight}; 1 when the store has no weigher. */
  long weight;

  Node(Object key, Object value, long weight, long ticket) {
    this.key = key;
    this.value = value;
    this.weight = weight;
    this.ticket = ticket;
  }

  /** The index of this entry in the store's slot arrays. */
  final int slot() {
    return (int) ticket;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + key + "=" + value + " @" + slot() + "]";
  }
}
