package dev.cachet.memory;

import dev.cachet.Policy;

/**
 * The order in which a {@link PolicyStore} evicts for its bound: the part of the store that
 * differs between LRU, LFU and FIFO. Every operation is O(1).
 *
 * <p>Not thread-safe: driven only by the holder of the store's lock, with reads applied in the
 * order they were buffered, which is what keeps single-threaded evictions exactly textbook.
 */
abstract class EvictionOrder {

  /** The order for one of the exact policies. */
  static EvictionOrder of(Policy policy) {
    return switch (policy) {
      case LRU -> new ListOrder(true);
      case FIFO -> new ListOrder(false);
      case LFU -> new LfuOrder();
      case ADAPTIVE -> throw new IllegalArgumentException(
          "ADAPTIVE is served by CaffeineStore, not PolicyStore");
    };
  }

  /** Whether reads change the order, that is whether they must be recorded at all. */
  abstract boolean ordersReads();

  /** A new entry was stored. */
  abstract void onInsert(Node n);

  /** A buffered read of a live entry is being applied. */
  abstract void onRead(Node n);

  /** The value of a present entry was replaced. */
  abstract void onReplace(Node n);

  /** The entry left the store. */
  abstract void onRemove(Node n);

  /** The entry to evict first, or null when empty. */
  abstract Node first();

  /** The entry evicted right after {@code n}, or null when {@code n} is the last one. */
  abstract Node after(Node n);

  /** Forgets every entry at once; the nodes are being discarded. */
  abstract void reset();

  /**
   * The list when this order is a single list kept in a meaningful time order, so that an expiry
   * queue in the same order can share it instead of duplicating every move; otherwise null.
   */
  abstract NodeDeque list();
}
