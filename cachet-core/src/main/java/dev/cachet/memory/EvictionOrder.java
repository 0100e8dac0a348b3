package dev.cachet.memory;

import dev.cachet.EvictionPolicy;
import java.util.function.IntUnaryOperator;

/**
 * The order in which a {@link PolicyStore} evicts for its bound: the part of the store that
 * differs between LRU, LFU, FIFO and SHADOW_TUNED. Entries are named by their slot; every
 * operation is O(1) (SHADOW_TUNED's amortized: its shadows' decisions are periodic).
 *
 * <p>Not thread-safe: driven only by the holder of the store's lock, with reads applied in the
 * order they were buffered, which is what keeps single-threaded evictions exactly textbook.
 */
abstract class EvictionOrder {

  /**
   * The order for {@code policy}, with room for {@code capacity} slots.
   *
   * @param maximumSize the store's entry bound, or {@link StoreConfig#UNSET}
   * @param hashOfSlot the hash code of the key in a slot, for orders that rate keys
   */
  static EvictionOrder of(EvictionPolicy policy, int capacity, long maximumSize,
      IntUnaryOperator hashOfSlot) {
    return switch (policy) {
      case LRU -> new ListOrder(true, capacity);
      case FIFO -> new ListOrder(false, capacity);
      case LFU -> new LfuOrder(capacity);
      case SHADOW_TUNED -> new ShadowTunedOrder(capacity, maximumSize, hashOfSlot);
      case ADAPTIVE -> throw new IllegalArgumentException(
          "ADAPTIVE is served by CaffeineStore, not PolicyStore");
    };
  }

  /** Whether reads change the order, that is whether they must be recorded at all. */
  abstract boolean ordersReads();

  /**
   * Whether the store may leave a read unrecorded when the reader's ring is full and another
   * thread holds the lock (is draining). False for the exact policies, whose evictions must be
   * those of the textbook policy; true for orders that estimate frequencies anyway, for which a
   * read lost under contention is noise, as in Caffeine, and blocking the reader behind the
   * drain would tie read throughput to the cost of the policy's bookkeeping.
   */
  boolean mayDropReads() {
    return false;
  }

  /** Makes room for slots below {@code capacity}. */
  abstract void grow(int capacity);

  /** A new entry was stored. */
  abstract void onInsert(int slot);

  /** A buffered read of a live entry is being applied. */
  abstract void onRead(int slot);

  /** The value of a present entry was replaced. */
  abstract void onReplace(int slot);

  /** The entry left the store. */
  abstract void onRemove(int slot);

  /** The entry to evict first, or {@link SlotDeque#NONE} when empty. */
  abstract int first();

  /** The entry evicted right after {@code slot}, or {@link SlotDeque#NONE}. */
  abstract int after(int slot);

  /** Forgets every entry at once. */
  abstract void reset();

  /**
   * The list when this order is a single list kept in a meaningful time order, so that an expiry
   * queue in the same order can share it instead of duplicating every move; otherwise null.
   */
  abstract SlotDeque list();
}
