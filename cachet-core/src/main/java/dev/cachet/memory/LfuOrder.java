package dev.cachet.memory;

/**
 * LFU in O(1) per operation: a list of {@link FrequencyBucket}s in increasing count, each holding
 * its entries in order of last access. An access moves the entry from its bucket (count c) to the
 * back of the bucket for c + 1, creating it right after the current one if missing, so buckets
 * stay sorted without ever searching. The victim is the front of the lowest bucket: fewest
 * accesses, least recently used among those.
 */
final class LfuOrder extends EvictionOrder {
  /** The bucket with the lowest count, or null when empty. */
  private FrequencyBucket lowest;

  /**
   * One emptied bucket kept for reuse: in steady state an access frees a bucket about as often
   * as it needs one, so this removes most allocations from the drain path.
   */
  private FrequencyBucket spare;

  @Override
  boolean ordersReads() {
    return true;
  }

  @Override
  void onInsert(Node n) {
    FrequencyBucket b = lowest;
    if (b == null || b.count != 1) {
      FrequencyBucket ones = newBucket(1);
      ones.higher = b;
      if (b != null) {
        b.lower = ones;
      }
      lowest = ones;
      b = ones;
    }
    b.addLast(n);
    n.bucket = b;
  }

  @Override
  void onRead(Node n) {
    increment(n);
  }

  @Override
  void onReplace(Node n) {
    increment(n);
  }

  private void increment(Node n) {
    FrequencyBucket from = n.bucket;
    long count = from.count + 1;
    FrequencyBucket to = from.higher;
    if (to == null || to.count != count) {
      if (from.first() == n) {
        // Alone in its bucket and no bucket for count + 1: renumbering keeps the order intact.
        from.count = count;
        return;
      }
      to = newBucket(count);
      to.lower = from;
      to.higher = from.higher;
      if (from.higher != null) {
        from.higher.lower = to;
      }
      from.higher = to;
    }
    from.remove(n);
    to.addLast(n);
    n.bucket = to;
    if (from.isEmpty()) {
      unlink(from);
    }
  }

  @Override
  void onRemove(Node n) {
    FrequencyBucket b = n.bucket;
    b.remove(n);
    n.bucket = null;
    if (b.isEmpty()) {
      unlink(b);
    }
  }

  private FrequencyBucket newBucket(long count) {
    FrequencyBucket b = spare;
    if (b == null) {
      b = new FrequencyBucket();
    } else {
      spare = null;
    }
    b.count = count;
    return b;
  }

  private void unlink(FrequencyBucket b) {
    if (b.lower == null) {
      lowest = b.higher;
    } else {
      b.lower.higher = b.higher;
    }
    if (b.higher != null) {
      b.higher.lower = b.lower;
    }
    b.lower = null;
    b.higher = null;
    spare = b;
  }

  @Override
  Node first() {
    return lowest == null ? null : lowest.first();
  }

  @Override
  Node after(Node n) {
    if (n.next != null) {
      return n.next;
    }
    FrequencyBucket h = n.bucket.higher;
    return h == null ? null : h.first();
  }

  @Override
  void reset() {
    lowest = null;
  }

  @Override
  NodeDeque list() {
    return null;
  }
}
