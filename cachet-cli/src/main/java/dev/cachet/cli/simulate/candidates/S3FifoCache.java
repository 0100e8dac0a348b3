package dev.cachet.cli.simulate.candidates;

import java.util.HashMap;
import java.util.Map;

/**
 * S3-FIFO (Yang et al., "FIFO queues are all you need for cache eviction", SOSP 2023): a small
 * FIFO queue S (10% of the entries) that new keys enter, a main FIFO queue M (the rest), and a
 * ghost FIFO queue G remembering as many recently evicted keys as M holds. Each entry has a
 * two-bit counter that a hit increments (capped at 3).
 *
 * <p>Eviction takes from S while S holds at least its 10% share, otherwise from M. An entry
 * leaving S moves to M when it was hit while in S (counter reset), and otherwise is dropped and
 * its key remembered in G; a missed key found in G skips S and enters M directly. M is a CLOCK
 * of sorts: its oldest entry is reinserted with its counter decremented while the counter is
 * above zero, and evicted once it is zero. One-hit wonders thus leave through S quickly, without
 * disturbing M.
 */
public final class S3FifoCache implements CandidateCache {
  private static final int SMALL = 0;
  private static final int MAIN = 1;

  private final int capacity;
  private final int smallTarget;
  private final int ghostCapacity;
  private final Map<Long, Node> resident = new HashMap<>();
  private final Map<Long, Node> ghosts = new HashMap<>();
  private final NodeDeque small = new NodeDeque();
  private final NodeDeque main = new NodeDeque();
  private final NodeDeque ghost = new NodeDeque();

  /** An S3-FIFO cache of at most {@code capacity} keys. */
  public S3FifoCache(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
    this.smallTarget = Math.max(1, capacity / 10);
    this.ghostCapacity = Math.max(1, capacity - smallTarget);
  }

  @Override
  public boolean access(long key) {
    Node n = resident.get(key);
    if (n != null) {
      n.freq = Math.min(n.freq + 1, 3);
      return true;
    }
    if (resident.size() == capacity) {
      evict();
    }
    Node g = ghosts.remove(key);
    n = new Node(key);
    if (g != null) {
      ghost.remove(g);
      n.queue = MAIN;
      main.addHead(n);
    } else {
      n.queue = SMALL;
      small.addHead(n);
    }
    resident.put(key, n);
    return false;
  }

  private void evict() {
    if (small.size() >= smallTarget || main.size() == 0) {
      evictSmall();
    } else {
      evictMain();
    }
  }

  private void evictSmall() {
    while (small.size() > 0) {
      Node t = small.pollTail();
      if (t.freq > 0) {
        t.freq = 0;
        t.queue = MAIN;
        main.addHead(t);
        if (main.size() > capacity - smallTarget) {
          // M is over its share: its eviction frees the slot this call owes.
          evictMain();
          return;
        }
      } else {
        resident.remove(t.key);
        remember(t.key);
        return;
      }
    }
    evictMain();
  }

  private void evictMain() {
    while (true) {
      Node t = main.pollTail();
      if (t.freq > 0) {
        t.freq--;
        main.addHead(t);
      } else {
        resident.remove(t.key);
        return;
      }
    }
  }

  private void remember(long key) {
    if (ghost.size() == ghostCapacity) {
      ghosts.remove(ghost.pollTail().key);
    }
    Node g = new Node(key);
    g.ghost = true;
    ghost.addHead(g);
    ghosts.put(key, g);
  }

  @Override
  public int size() {
    return resident.size();
  }
}
