package dev.cachet.memory;

/**
 * An intrusive doubly linked deque of {@link Node}s: the links live in the nodes, so adding,
 * removing and moving to the back are O(1) and allocate nothing.
 *
 * <p>A node carries one pair of links per ordering it can belong to; each subclass picks the pair
 * it threads through, which lets one node sit in the eviction order and in the expiry queues at
 * the same time. The subclasses are final (except the one frequency buckets extend) so that, once
 * inlined at a call site whose receiver type is known, the link accessors bind statically.
 *
 * <p>Not thread-safe: only the holder of the store's lock touches a deque.
 */
abstract class NodeDeque {
  private Node head;
  private Node tail;

  abstract Node next(Node n);

  abstract Node prev(Node n);

  abstract void setNext(Node n, Node next);

  abstract void setPrev(Node n, Node prev);

  /** The front: next to be evicted or expired. */
  final Node first() {
    return head;
  }

  /** The back: most recently added or moved. */
  final Node last() {
    return tail;
  }

  final boolean isEmpty() {
    return head == null;
  }

  /**
   * Whether {@code n} is linked into this kind of deque. Relies on links being cleared on
   * removal; a lone element is recognised by being the head.
   */
  final boolean contains(Node n) {
    return prev(n) != null || head == n;
  }

  final void addLast(Node n) {
    Node t = tail;
    setPrev(n, t);
    setNext(n, null);
    if (t == null) {
      head = n;
    } else {
      setNext(t, n);
    }
    tail = n;
  }

  final void remove(Node n) {
    Node p = prev(n);
    Node x = next(n);
    if (p == null) {
      head = x;
    } else {
      setNext(p, x);
    }
    if (x == null) {
      tail = p;
    } else {
      setPrev(x, p);
    }
    setPrev(n, null);
    setNext(n, null);
  }

  final void moveToLast(Node n) {
    if (tail != n) {
      remove(n);
      addLast(n);
    }
  }

  /** Forgets all elements without unlinking them one by one; callers discard the nodes. */
  final void reset() {
    head = null;
    tail = null;
  }

  /** Threads through {@link Node#prev}/{@link Node#next}: the eviction order. */
  static class InPolicyOrder extends NodeDeque {
    @Override
    final Node next(Node n) {
      return n.next;
    }

    @Override
    final Node prev(Node n) {
      return n.prev;
    }

    @Override
    final void setNext(Node n, Node next) {
      n.next = next;
    }

    @Override
    final void setPrev(Node n, Node prev) {
      n.prev = prev;
    }
  }

  /** Threads through {@link Node#writePrev}/{@link Node#writeNext}: the expire-after-write queue. */
  static final class InWriteOrder extends NodeDeque {
    @Override
    Node next(Node n) {
      return n.writeNext;
    }

    @Override
    Node prev(Node n) {
      return n.writePrev;
    }

    @Override
    void setNext(Node n, Node next) {
      n.writeNext = next;
    }

    @Override
    void setPrev(Node n, Node prev) {
      n.writePrev = prev;
    }
  }

  /** Threads through {@link Node#accessPrev}/{@link Node#accessNext}: the time-to-idle queue. */
  static final class InAccessOrder extends NodeDeque {
    @Override
    Node next(Node n) {
      return n.accessNext;
    }

    @Override
    Node prev(Node n) {
      return n.accessPrev;
    }

    @Override
    void setNext(Node n, Node next) {
      n.accessNext = next;
    }

    @Override
    void setPrev(Node n, Node prev) {
      n.accessPrev = prev;
    }
  }
}
