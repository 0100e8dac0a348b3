package dev.cachet.memory;

import java.util.Arrays;

/**
 * A doubly linked deque of slots whose links live in one int array indexed by slot: adding,
 * removing and moving to the back are O(1), allocate nothing and store no references (see
 * {@link Node} for why that matters). A slot's two links sit side by side, so that relinking an
 * entry of a large store misses the cache once per entry involved rather than twice. {@code -1}
 * stands for "none".
 *
 * <p>A slot may be in several deques at once (eviction order, expiry queues), each with its own
 * array. Not thread-safe: only the holder of the store's lock touches a deque.
 */
final class SlotDeque {
  static final int NONE = -1;

  /** {@code links[2 * slot]} is the previous slot, {@code links[2 * slot + 1]} the next one. */
  private int[] links;
  private int head = NONE;
  private int tail = NONE;

  SlotDeque(int capacity) {
    links = new int[2 * capacity];
  }

  /** Makes room for slots below {@code capacity}. */
  void grow(int capacity) {
    links = Arrays.copyOf(links, 2 * capacity);
  }

  /** The front: next to be evicted or expired, or {@link #NONE}. */
  int first() {
    return head;
  }

  /** The slot behind {@code slot}, or {@link #NONE}. */
  int next(int slot) {
    return links[2 * slot + 1];
  }

  void addLast(int slot) {
    int t = tail;
    links[2 * slot] = t;
    links[2 * slot + 1] = NONE;
    if (t == NONE) {
      head = slot;
    } else {
      links[2 * t + 1] = slot;
    }
    tail = slot;
  }

  void remove(int slot) {
    int p = links[2 * slot];
    int x = links[2 * slot + 1];
    if (p == NONE) {
      head = x;
    } else {
      links[2 * p + 1] = x;
    }
    if (x == NONE) {
      tail = p;
    } else {
      links[2 * x] = p;
    }
  }

  void moveToLast(int slot) {
    if (tail != slot) {
      remove(slot);
      addLast(slot);
    }
  }

  /** Forgets all elements at once. */
  void reset() {
    head = NONE;
    tail = NONE;
  }
}
