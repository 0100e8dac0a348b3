package dev.cachet.cli.simulate.candidates;

/**
 * An intrusive doubly linked list of {@link Node}s: O(1) insertion at either end, removal and
 * move. "Head" is the most recent end, "tail" the oldest, the way the papers draw their queues.
 * A node belongs to at most one deque at a time.
 */
final class NodeDeque {
  private Node head;
  private Node tail;
  private int size;

  /** The number of nodes. */
  int size() {
    return size;
  }

  /** The most recently added node, or null. */
  Node head() {
    return head;
  }

  /** The oldest node, or null. */
  Node tail() {
    return tail;
  }

  /** Adds {@code n} at the head (most recent end). */
  void addHead(Node n) {
    n.prev = null;
    n.next = head;
    if (head == null) {
      tail = n;
    } else {
      head.prev = n;
    }
    head = n;
    size++;
  }

  /** Adds {@code n} at the tail (oldest end). */
  void addTail(Node n) {
    n.next = null;
    n.prev = tail;
    if (tail == null) {
      head = n;
    } else {
      tail.next = n;
    }
    tail = n;
    size++;
  }

  /** Unlinks {@code n}, which must be in this deque. */
  void remove(Node n) {
    if (n.prev == null) {
      head = n.next;
    } else {
      n.prev.next = n.next;
    }
    if (n.next == null) {
      tail = n.prev;
    } else {
      n.next.prev = n.prev;
    }
    n.prev = null;
    n.next = null;
    size--;
  }

  /** Removes and returns the tail, or null when empty. */
  Node pollTail() {
    Node t = tail;
    if (t != null) {
      remove(t);
    }
    return t;
  }

  /** Moves {@code n}, which must be in this deque, to the head. */
  void moveToHead(Node n) {
    if (head != n) {
      remove(n);
      addHead(n);
    }
  }
}
