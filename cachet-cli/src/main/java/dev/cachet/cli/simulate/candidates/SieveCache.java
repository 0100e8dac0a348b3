package dev.cachet.cli.simulate.candidates;

import java.util.HashMap;
import java.util.Map;

/**
 * SIEVE (Zhang et al., "SIEVE is Simpler than LRU", NSDI 2024): a FIFO queue with one "visited"
 * bit per entry and a hand that survives between evictions. A hit only sets the bit. To evict,
 * the hand walks from where it stopped towards the newer end, clearing set bits, and takes the
 * first entry whose bit was clear; past the newest entry it wraps round to the oldest. New keys
 * join at the newest end, so they are behind the hand and get a full round to prove themselves,
 * while entries the hand passed stay in place (unlike CLOCK, nothing is reinserted).
 */
public final class SieveCache implements CandidateCache {
  private final int capacity;
  private final Map<Long, Node> nodes = new HashMap<>();
  private final NodeDeque queue = new NodeDeque();
  private Node hand;

  /** A SIEVE cache of at most {@code capacity} keys. */
  public SieveCache(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public boolean access(long key) {
    Node n = nodes.get(key);
    if (n != null) {
      n.freq = 1;
      return true;
    }
    if (nodes.size() == capacity) {
      evict();
    }
    n = new Node(key);
    queue.addHead(n);
    nodes.put(key, n);
    return false;
  }

  private void evict() {
    Node h = hand == null ? queue.tail() : hand;
    while (h.freq != 0) {
      h.freq = 0;
      // "prev" is towards the head, the newer end: the hand walks from old to new.
      h = h.prev == null ? queue.tail() : h.prev;
    }
    hand = h.prev;
    queue.remove(h);
    nodes.remove(h.key);
  }

  @Override
  public int size() {
    return nodes.size();
  }
}
