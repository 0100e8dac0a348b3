package dev.cachet.memory;

/**
 * LRU and FIFO: one list, front evicted first. Both move an entry to the back when it is
 * written (for FIFO a replacement counts as a new insertion); only LRU also moves it on reads.
 * Consequently the LRU list is in last-access order and the FIFO list in last-write order,
 * which the store reuses as its time-to-idle and expire-after-write queues respectively.
 */
final class ListOrder extends EvictionOrder {
  private final NodeDeque.InPolicyOrder list = new NodeDeque.InPolicyOrder();
  private final boolean moveOnRead;

  /** @param moveOnRead true for LRU, false for FIFO */
  ListOrder(boolean moveOnRead) {
    this.moveOnRead = moveOnRead;
  }

  @Override
  boolean ordersReads() {
    return moveOnRead;
  }

  @Override
  void onInsert(Node n) {
    list.addLast(n);
  }

  @Override
  void onRead(Node n) {
    if (moveOnRead) {
      list.moveToLast(n);
    }
  }

  @Override
  void onReplace(Node n) {
    list.moveToLast(n);
  }

  @Override
  void onRemove(Node n) {
    list.remove(n);
  }

  @Override
  Node first() {
    return list.first();
  }

  @Override
  Node after(Node n) {
    return n.next;
  }

  @Override
  void reset() {
    list.reset();
  }

  @Override
  NodeDeque list() {
    return list;
  }
}
