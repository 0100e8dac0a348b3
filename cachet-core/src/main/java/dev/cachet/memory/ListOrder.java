package dev.cachet.memory;

/**
 * LRU and FIFO: one list, front evicted first. Both move an entry to the back when it is
 * written (for FIFO a replacement counts as a new insertion); only LRU also moves it on reads.
 * Consequently the LRU list is in last-access order and the FIFO list in last-write order,
 * which the store reuses as its time-to-idle and expire-after-write queues respectively.
 */
final class ListOrder extends EvictionOrder {
  private final SlotDeque list;
  private final boolean moveOnRead;

  /**
   * @param moveOnRead true for LRU, false for FIFO
   * @param capacity initial number of slots
   */
  ListOrder(boolean moveOnRead, int capacity) {
    this.moveOnRead = moveOnRead;
    this.list = new SlotDeque(capacity);
  }

  @Override
  boolean ordersReads() {
    return moveOnRead;
  }

  @Override
  void grow(int capacity) {
    list.grow(capacity);
  }

  @Override
  void onInsert(int slot) {
    list.addLast(slot);
  }

  @Override
  void onRead(int slot) {
    if (moveOnRead) {
      list.moveToLast(slot);
    }
  }

  @Override
  void onReplace(int slot) {
    list.moveToLast(slot);
  }

  @Override
  void onRemove(int slot) {
    list.remove(slot);
  }

  @Override
  int first() {
    return list.first();
  }

  @Override
  int after(int slot) {
    return list.next(slot);
  }

  @Override
  void reset() {
    list.reset();
  }

  @Override
  SlotDeque list() {
    return list;
  }
}
