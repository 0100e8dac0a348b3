package dev.cachet.memory;

import java.util.Arrays;

/**
 * Several doubly linked lists of slots sharing one links array, for an order whose entries are
 * each in exactly one of its lists (as {@link ShadowTunedOrder}'s window, probation and
 * protected segments are): two ints per slot whatever the number of lists, where a
 * {@link SlotDeque} per list would take two per slot per list. Lists are numbered from 0; the
 * caller remembers which list a slot is in. {@code -1} ({@link SlotDeque#NONE}) stands for
 * "none". Not thread-safe: only the holder of the store's lock touches it.
 */
final class SlotLists {
  private static final int NONE = SlotDeque.NONE;

  /** {@code links[2 * slot]} is the previous slot, {@code links[2 * slot + 1]} the next one. */
  private int[] links;
  private final int[] heads;
  private final int[] tails;
  private final int[] sizes;

  SlotLists(int lists, int capacity) {
    links = new int[2 * capacity];
    heads = new int[lists];
    tails = new int[lists];
    sizes = new int[lists];
    reset();
  }

  /** Makes room for slots below {@code capacity}. */
  void grow(int capacity) {
    links = Arrays.copyOf(links, 2 * capacity);
  }

  /** The front (oldest) of {@code list}, or {@link SlotDeque#NONE}. */
  int first(int list) {
    return heads[list];
  }

  /** The number of slots in {@code list}. */
  int size(int list) {
    return sizes[list];
  }

  /** The slot behind {@code slot} in its list, or {@link SlotDeque#NONE}. */
  int next(int slot) {
    return links[2 * slot + 1];
  }

  /** Appends {@code slot}, in no list, to the back of {@code list}. */
  void addLast(int list, int slot) {
    int t = tails[list];
    links[2 * slot] = t;
    links[2 * slot + 1] = NONE;
    if (t == NONE) {
      heads[list] = slot;
    } else {
      links[2 * t + 1] = slot;
    }
    tails[list] = slot;
    sizes[list]++;
  }

  /** Unlinks {@code slot} from {@code list}, which must hold it. */
  void remove(int list, int slot) {
    int p = links[2 * slot];
    int x = links[2 * slot + 1];
    if (p == NONE) {
      heads[list] = x;
    } else {
      links[2 * p + 1] = x;
    }
    if (x == NONE) {
      tails[list] = p;
    } else {
      links[2 * x] = p;
    }
    sizes[list]--;
  }

  /** Moves {@code slot} to the back of {@code list}, which holds it. */
  void moveToLast(int list, int slot) {
    if (tails[list] != slot) {
      remove(list, slot);
      addLast(list, slot);
    }
  }

  /** Empties every list at once. */
  void reset() {
    Arrays.fill(heads, NONE);
    Arrays.fill(tails, NONE);
    Arrays.fill(sizes, 0);
  }
}
