package dev.cachet.memory;

import java.util.SplittableRandom;

/**
 * A keys-only W-TinyLFU of fixed setting that {@link ShadowTunedOrder} runs on a sample of the
 * key hashes, to learn which setting would hit most. It stores no entries, only hashes, and is
 * small (a thirty-second of the store, and at most 512 keys up to 16K entries), so a hash
 * collision costs a rare wrong hit and nothing else. Not thread-safe: used under the store's
 * lock.
 *
 * <p>Everything is in int arrays indexed by an entry number: the window, probation and
 * protected queues share one {@link SlotLists}, and hashes find their entry through an
 * open-addressing table with linear probing. The shadows are updated while replaying reads
 * under the store's lock, so a boxed map (an {@code Integer} per lookup, a node and an entry
 * object per remembered key) would put allocation and pointer chasing on every sampled read
 * and hold the lock longer for everyone.
 */
final class ShadowCache {
  private static final int NONE = SlotDeque.NONE;
  private static final byte WINDOW = 0;
  private static final byte PROBATION = 1;
  private static final byte PROTECTED = 2;
  /** Marks an empty bucket of {@link #buckets}, which hold entry numbers plus one. */
  private static final int EMPTY = 0;

  private final int capacity;
  private final int windowMax;
  private final int protectedMax;
  private final boolean randomAdmission;
  private final AdmissionSketch sketch;
  private final SplittableRandom random;

  /** Window, probation and protected, numbered by {@link #WINDOW} and the like. */
  private final SlotLists lists;
  /** The hash each entry number remembers. */
  private final int[] hashes;
  /** The queue each entry number is in. */
  private final byte[] queues;
  /** Entry numbers not in use, as a stack. */
  private final int[] free;
  private int freeCount;
  private int size;

  /** Entry number plus one per bucket, {@link #EMPTY} if none; at most half full. */
  private final int[] buckets;
  private final int bucketMask;

  ShadowCache(int capacity, double windowShare, boolean randomAdmission, long seed) {
    this.capacity = capacity;
    this.windowMax = ShadowTunedOrder.windowFor(capacity, windowShare);
    this.protectedMax = (int) ((capacity - windowMax) * 0.8);
    this.randomAdmission = randomAdmission;
    this.sketch = new AdmissionSketch(capacity);
    this.random = new SplittableRandom(seed);
    // A miss adds its key before evicting, so one entry more than the capacity is held briefly.
    int entries = capacity + 1;
    this.lists = new SlotLists(3, entries);
    this.hashes = new int[entries];
    this.queues = new byte[entries];
    this.free = new int[entries];
    for (int i = 0; i < entries; i++) {
      free[i] = entries - 1 - i;
    }
    this.freeCount = entries;
    int bucketCount = Integer.highestOneBit(Math.max(2, entries) * 2 - 1) * 2;
    this.buckets = new int[bucketCount];
    this.bucketMask = bucketCount - 1;
  }

  /** Records an access to {@code hash}; true when it hit. */
  boolean access(int hash) {
    sketch.increment(hash);
    int e = find(hash);
    if (e != NONE) {
      if (queues[e] == PROBATION) {
        move(e, PROTECTED);
        while (lists.size(PROTECTED) > protectedMax) {
          move(lists.first(PROTECTED), PROBATION);
        }
      } else {
        lists.moveToLast(queues[e], e);
      }
      return true;
    }
    e = free[--freeCount];
    hashes[e] = hash;
    add(e, WINDOW);
    insert(hash, e);
    size++;
    while (lists.size(WINDOW) > windowMax) {
      int candidate = lists.first(WINDOW);
      move(candidate, PROBATION);
      if (size > capacity) {
        int victim = lists.first(PROBATION) != candidate ? lists.first(PROBATION)
            : lists.first(PROTECTED);
        if (victim == NONE || admits(hashes[candidate], hashes[victim])) {
          drop(victim == NONE ? candidate : victim);
        } else {
          drop(candidate);
        }
      }
    }
    while (size > capacity) {
      int oldest = lists.first(PROBATION) != NONE ? lists.first(PROBATION)
          : lists.first(PROTECTED) != NONE ? lists.first(PROTECTED) : lists.first(WINDOW);
      drop(oldest);
    }
    return false;
  }

  private boolean admits(int candidate, int victim) {
    int c = sketch.frequency(candidate);
    return c > sketch.frequency(victim)
        || (randomAdmission && c >= 6 && (random.nextInt() & 127) == 0);
  }

  private void add(int e, byte q) {
    queues[e] = q;
    lists.addLast(q, e);
  }

  private void move(int e, byte to) {
    lists.remove(queues[e], e);
    add(e, to);
  }

  private void drop(int e) {
    lists.remove(queues[e], e);
    delete(hashes[e]);
    free[freeCount++] = e;
    size--;
  }

  // Open addressing. The sampled hashes all fall in one range of a multiplicative hash (that is
  // how they were sampled), so the bucket comes from a different mix to keep them spread.

  private int bucket(int hash) {
    int h = hash * 0x85EB_CA6B;
    h ^= h >>> 13;
    h *= 0xC2B2_AE35;
    return (h ^ (h >>> 16)) & bucketMask;
  }

  /** The entry remembering {@code hash}, or {@link #NONE}. */
  private int find(int hash) {
    for (int b = bucket(hash); ; b = (b + 1) & bucketMask) {
      int v = buckets[b];
      if (v == EMPTY) {
        return NONE;
      }
      if (hashes[v - 1] == hash) {
        return v - 1;
      }
    }
  }

  private void insert(int hash, int e) {
    int b = bucket(hash);
    while (buckets[b] != EMPTY) {
      b = (b + 1) & bucketMask;
    }
    buckets[b] = e + 1;
  }

  /**
   * Removes {@code hash}, which is present, shifting later entries of its probe run back so that
   * no tombstones are needed (lookups stay short however many keys come and go).
   */
  private void delete(int hash) {
    int b = bucket(hash);
    while (hashes[buckets[b] - 1] != hash) {
      b = (b + 1) & bucketMask;
    }
    int hole = b;
    for (int i = (hole + 1) & bucketMask; buckets[i] != EMPTY; i = (i + 1) & bucketMask) {
      int home = bucket(hashes[buckets[i] - 1]);
      // Move the entry into the hole unless its home lies cyclically in (hole, i].
      if (((i - home) & bucketMask) >= ((i - hole) & bucketMask)) {
        buckets[hole] = buckets[i];
        hole = i;
      }
    }
    buckets[hole] = EMPTY;
  }

  /** The number of keys remembered, for tests. */
  int size() {
    return size;
  }
}
