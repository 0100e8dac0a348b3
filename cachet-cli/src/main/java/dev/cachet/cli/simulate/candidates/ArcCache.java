package dev.cachet.cli.simulate.candidates;

import java.util.HashMap;
import java.util.Map;

/**
 * ARC (Megiddo and Modha, "ARC: A Self-Tuning, Low Overhead Replacement Cache", FAST 2003). Two
 * LRU lists of resident keys, T1 (seen once recently) and T2 (seen at least twice), each with a
 * ghost list of keys it evicted, B1 and B2, the four together remembering at most twice the
 * capacity. A hit in a ghost list says that list's resident part was too small, so the target
 * size {@code p} of T1 moves towards it, by more when the other ghost list is the larger.
 */
public final class ArcCache implements CandidateCache {
  private static final int T1 = 0;
  private static final int T2 = 1;
  private static final int B1 = 2;
  private static final int B2 = 3;

  private final int capacity;
  private final Map<Long, Node> nodes = new HashMap<>();
  private final NodeDeque[] lists = {new NodeDeque(), new NodeDeque(), new NodeDeque(),
      new NodeDeque()};
  private double p;

  /** An ARC cache of at most {@code capacity} keys. */
  public ArcCache(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public boolean access(long key) {
    Node x = nodes.get(key);
    if (x != null && (x.queue == T1 || x.queue == T2)) {
      move(x, T2);
      return true;
    }
    if (x != null && x.queue == B1) {
      p = Math.min(capacity, p + Math.max(1.0, (double) size(B2) / size(B1)));
      replace(false);
      move(x, T2);
      return false;
    }
    if (x != null) {
      p = Math.max(0, p - Math.max(1.0, (double) size(B1) / size(B2)));
      replace(true);
      move(x, T2);
      return false;
    }
    int l1 = size(T1) + size(B1);
    int total = l1 + size(T2) + size(B2);
    if (l1 == capacity) {
      if (size(T1) < capacity) {
        drop(lists[B1].tail());
        replace(false);
      } else {
        drop(lists[T1].tail());
      }
    } else if (total >= capacity) {
      if (total == 2 * capacity) {
        drop(lists[B2].tail());
      }
      replace(false);
    }
    x = new Node(key);
    x.queue = T1;
    lists[T1].addHead(x);
    nodes.put(key, x);
    return false;
  }

  /** Moves the LRU key of T1 or T2 to its ghost list, as ARC's REPLACE(x, p). */
  private void replace(boolean requestInB2) {
    int t1 = size(T1);
    if (t1 > 0 && (t1 > p || (requestInB2 && t1 == (int) Math.ceil(p)))) {
      move(lists[T1].tail(), B1);
    } else if (size(T2) > 0) {
      move(lists[T2].tail(), B2);
    } else {
      move(lists[T1].tail(), B1);
    }
  }

  private void move(Node n, int to) {
    lists[n.queue].remove(n);
    n.queue = to;
    n.ghost = to == B1 || to == B2;
    lists[to].addHead(n);
  }

  private void drop(Node n) {
    lists[n.queue].remove(n);
    nodes.remove(n.key);
  }

  private int size(int list) {
    return lists[list].size();
  }

  @Override
  public int size() {
    return size(T1) + size(T2);
  }
}
