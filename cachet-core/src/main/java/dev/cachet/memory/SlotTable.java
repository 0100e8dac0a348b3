package dev.cachet.memory;

import java.util.Arrays;

/**
 * Hands out the slots that index every per-entry array of a {@link PolicyStore}, and maps a slot
 * back to its {@link Node}. Freed slots are reused first, so the arrays only grow to the largest
 * number of entries held at once (for an entry bound, that bound plus the one entry that is
 * inserted before the eviction it causes).
 *
 * <p>Not thread-safe: only the holder of the store's lock uses it.
 */
final class SlotTable {
  private Node[] nodes;
  private int[] free;
  private int freeCount;
  /** Slots below this have been handed out at least once. */
  private int used;
  /** Stamps tell successive occupants of a slot apart; 0 is skipped so no ticket is ever 0. */
  private int stamp;

  SlotTable(int capacity) {
    nodes = new Node[capacity];
    free = new int[capacity];
  }

  /** Number of slots each per-entry array must have. */
  int capacity() {
    return nodes.length;
  }

  /** Whether every slot is taken, so that the next {@link #allocate} needs {@link #grow} first. */
  boolean full() {
    return freeCount == 0 && used == nodes.length;
  }

  /** Enlarges the table to {@code capacity} slots. */
  void grow(int capacity) {
    nodes = Arrays.copyOf(nodes, capacity);
    free = Arrays.copyOf(free, capacity);
  }

  /** Reserves a slot and returns the ticket of its next occupant. Requires {@code !full()}. */
  long allocate() {
    int slot = freeCount > 0 ? free[--freeCount] : used++;
    if (++stamp == 0) {
      stamp = 1;
    }
    return ((long) stamp << 32) | (slot & 0xFFFF_FFFFL);
  }

  /** Makes {@code n} the occupant of its ticket's slot. */
  void set(Node n) {
    nodes[n.slot()] = n;
  }

  /** The occupant of {@code slot}, or null. */
  Node get(int slot) {
    return nodes[slot];
  }

  /** The node a buffered read was made on, if it still holds its slot; else null. */
  Node forTicket(long ticket) {
    Node n = nodes[(int) ticket];
    return n != null && n.ticket == ticket ? n : null;
  }

  /** Whether {@code n} is still in the store. */
  boolean holds(Node n) {
    return nodes[n.slot()] == n;
  }

  /** Gives {@code n}'s slot back. */
  void release(Node n) {
    int slot = n.slot();
    nodes[slot] = null;
    free[freeCount++] = slot;
  }

  /** Frees every slot at once. */
  void reset() {
    Arrays.fill(nodes, 0, used, null);
    freeCount = 0;
    used = 0;
  }
}
