package dev.cachet.memory;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * {@link dev.cachet.EvictionPolicy#SHADOW_TUNED}: W-TinyLFU (an LRU window that new entries enter,
 * then a segmented LRU main area that window leavers enter only if a frequency sketch rates them
 * above main's next victim) whose setting is chosen online by sampled shadow caches.
 *
 * <p>Three settings: a 1% window with Caffeine's random admission of frequent losers, the same
 * without it (it keeps a loop's prefix intact), and a 100% window, which is exactly LRU. Three
 * {@link ShadowCache}s, one per setting, see the keys whose hash falls in a fixed sample of the
 * hash space (a thirty-second; more for stores under 16K entries, so that a shadow holds 512
 * keys, and all keys up to 512 entries) and hold the same share of the capacity. Every "shadow
 * capacity" sampled accesses their hits are added to decayed sums (each period weighs 0.95 of
 * the one after it), and the live order takes the best setting when it leads the current one by
 * 2.5% of the decayed sampled accesses: a switch costs the misses of reshaping the store, so a
 * short lead must not buy one (cpp at 200 entries lost two points to a brief lead of LRU with
 * 0.9 and 2%). This is the simulator's {@code SHADOW} model
 * ({@code dev.cachet.cli.simulate.candidates.ShadowTunedCache}) as a store order; the simulator
 * compares the two.
 *
 * <p>Eviction: an insert that overflows the window moves the window's oldest entry to probation
 * as the pending candidate. While a candidate is pending, {@link #first()} is the loser of its
 * duel with main's victim; once one of them is gone (or at the next insert) the candidate is an
 * ordinary probation entry. Without a candidate the victim is the least recently used of the
 * three queues' oldest entries, which after a switch to a larger window gives back main's space
 * in LRU order.
 *
 * <p>Per entry: two links (window, probation and protected share one {@link SlotLists}), the
 * key's hash, its queue and its last-access tick: 13 bytes, plus the sketch's 8 to 16 bytes per
 * entry of the bound and the shadows' few bytes per entry. Not thread-safe: driven under
 * the store's lock like every {@link EvictionOrder}.
 */
final class ShadowTunedOrder extends EvictionOrder {
  private static final int NONE = SlotDeque.NONE;
  private static final byte WINDOW = 0;
  private static final byte PROBATION = 1;
  private static final byte PROTECTED = 2;
  private static final double[] SHARES = {0.01, 0.01, 1.0};
  private static final boolean[] RANDOM = {true, false, false};
  /** Shadows see 1/32 of the hashes (at least {@link #MIN_SHADOW} entries' worth). */
  private static final int SAMPLE_SHIFT = 5;
  private static final int MIN_SHADOW = 512;
  private static final double DECAY = 0.95;
  private static final double MARGIN = 0.025;

  private final long maximumSize;
  private final IntUnaryOperator hashOfSlot;
  /** Window, probation and protected, numbered by {@link #WINDOW} and the like. */
  private final SlotLists lists;
  private final SplittableRandom random = new SplittableRandom(0x5EED);
  private int[] hashes;
  private byte[] queues;
  private int[] ticks;
  private int tick;
  private int slots;
  private int pending = NONE;

  private AdmissionSketch sketch;
  private int sketchCapacity;
  private int windowMax;
  private int protectedMax;
  private int current;

  private ShadowCache[] shadows;
  private long sampleThreshold;
  private int period;
  private final long[] periodHits = new long[SHARES.length];
  private final double[] scores = new double[SHARES.length];
  private int sampled;
  private double decayedAccesses;

  /**
   * @param capacity initial number of slots
   * @param maximumSize the store's entry bound, or {@link StoreConfig#UNSET} (a weight bound
   *     or none), in which case the order sizes itself by the entries it holds
   * @param hashOfSlot the hash code of the key in a slot, read once when the entry is inserted
   */
  ShadowTunedOrder(int capacity, long maximumSize, IntUnaryOperator hashOfSlot) {
    this.maximumSize = maximumSize;
    this.hashOfSlot = hashOfSlot;
    this.lists = new SlotLists(3, capacity);
    this.hashes = new int[capacity];
    this.queues = new byte[capacity];
    this.ticks = new int[capacity];
    this.slots = capacity;
    // Sized for the bound from the start up to 64K entries (a sketch costs 8 to 16 bytes per
    // entry of its capacity): rebuilding it while the store fills forgets the frequencies seen
    // so far, which costs gli at 1,000 entries ten points. Larger bounds grow it by doublings.
    resize(Math.max(capacity, 1 << 16));
  }

  /** The entry count the window's and protected segment's shares are taken of. */
  private int bound() {
    return maximumSize == StoreConfig.UNSET ? slots : (int) Math.min(1 << 30, maximumSize);
  }

  /** The window's size for a share of a capacity: at least one entry unless the share is 0. */
  static int windowFor(int capacity, double share) {
    int w = (int) Math.round(capacity * share);
    return share > 0 ? Math.max(1, Math.min(capacity, w)) : 0;
  }

  /**
   * (Re)builds the sketch and shadows for {@code capacity} entries (at most the bound), keeping
   * the current setting. For large bounds they grow with the store rather than being sized for
   * the bound up front, as Caffeine's sketch does; each rebuild forgets what was learnt, which
   * happens only a logarithmic number of times while the store fills.
   */
  private void resize(int capacity) {
    sketchCapacity = Math.max(1, Math.min(capacity, bound()));
    sketch = new AdmissionSketch(sketchCapacity);
    double share = Math.min(1.0,
        Math.max(1.0 / (1 << SAMPLE_SHIFT), (double) MIN_SHADOW / sketchCapacity));
    sampleThreshold = (long) (share * (1L << 32));
    int shadowCapacity = Math.max(1, (int) Math.round(sketchCapacity * share));
    shadows = new ShadowCache[SHARES.length];
    for (int i = 0; i < shadows.length; i++) {
      shadows[i] = new ShadowCache(shadowCapacity, SHARES[i], RANDOM[i], 0x5EED + i);
    }
    period = shadowCapacity;
    applySetting();
  }

  private void applySetting() {
    int bound = bound();
    windowMax = windowFor(bound, SHARES[current]);
    protectedMax = (int) ((bound - windowMax) * 0.8);
  }

  /** The window share currently in use, for tests. */
  double windowShare() {
    return SHARES[current];
  }

  @Override
  boolean ordersReads() {
    return true;
  }

  @Override
  boolean mayDropReads() {
    return true;
  }

  @Override
  void grow(int capacity) {
    lists.grow(capacity);
    hashes = Arrays.copyOf(hashes, capacity);
    queues = Arrays.copyOf(queues, capacity);
    ticks = Arrays.copyOf(ticks, capacity);
    slots = capacity;
    if (sketchCapacity < bound() && (capacity >= 2 * sketchCapacity || capacity >= bound())) {
      resize(capacity);
    } else {
      applySetting();
    }
  }

  @Override
  void onInsert(int slot) {
    pending = NONE;
    int hash = spread(hashOfSlot.applyAsInt(slot));
    hashes[slot] = hash;
    record(hash);
    ticks[slot] = ++tick;
    add(slot, WINDOW);
    boolean first = true;
    while (lists.size(WINDOW) > windowMax) {
      int leaver = lists.first(WINDOW);
      move(leaver, PROBATION);
      if (first) {
        pending = leaver;
        first = false;
      }
    }
  }

  @Override
  void onRead(int slot) {
    record(hashes[slot]);
    touch(slot);
  }

  @Override
  void onReplace(int slot) {
    touch(slot);
  }

  private void touch(int slot) {
    ticks[slot] = ++tick;
    if (slot == pending) {
      pending = NONE;
    }
    if (queues[slot] == PROBATION) {
      move(slot, PROTECTED);
      while (lists.size(PROTECTED) > protectedMax) {
        move(lists.first(PROTECTED), PROBATION);
      }
    } else {
      lists.moveToLast(queues[slot], slot);
    }
  }

  @Override
  void onRemove(int slot) {
    pending = NONE;
    lists.remove(queues[slot], slot);
  }

  @Override
  int first() {
    if (pending != NONE) {
      int victim = lists.first(PROBATION);
      if (victim == pending) {
        victim = lists.next(pending);
      }
      if (victim == NONE) {
        victim = lists.first(PROTECTED);
      }
      if (victim == NONE) {
        return pending;
      }
      return admits(hashes[pending], hashes[victim]) ? victim : pending;
    }
    int victim = lists.first(PROBATION);
    for (int q = PROTECTED; q >= WINDOW; q--) {
      int other = lists.first(q);
      if (other != NONE && (victim == NONE || ticks[other] - ticks[victim] < 0)) {
        victim = other;
      }
    }
    return victim;
  }

  @Override
  int after(int slot) {
    // Only asked when first() named the entry just written, which sits in the window: spare it
    // by taking the next-oldest entry of the same queue, else main's oldest.
    int next = lists.next(slot);
    if (next != NONE) {
      return next;
    }
    int p = lists.first(PROBATION);
    return p != NONE && p != slot ? p : lists.first(PROTECTED);
  }

  @Override
  void reset() {
    lists.reset();
    pending = NONE;
  }

  @Override
  SlotDeque list() {
    return null;
  }

  private boolean admits(int candidate, int victim) {
    int c = sketch.frequency(candidate);
    return c > sketch.frequency(victim)
        || (RANDOM[current] && c >= 6 && (random.nextInt() & 127) == 0);
  }

  /** Counts an access in the sketch and, for sampled hashes, in the shadows. */
  private void record(int hash) {
    sketch.increment(hash);
    if (((hash * 0x9E3779B9L) & 0xFFFF_FFFFL) >= sampleThreshold) {
      return;
    }
    for (int i = 0; i < shadows.length; i++) {
      if (shadows[i].access(hash)) {
        periodHits[i]++;
      }
    }
    if (++sampled >= period) {
      decide();
    }
  }

  private void decide() {
    decayedAccesses = decayedAccesses * DECAY + sampled;
    sampled = 0;
    int best = current;
    for (int i = 0; i < scores.length; i++) {
      scores[i] = scores[i] * DECAY + periodHits[i];
      periodHits[i] = 0;
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    if (best != current && scores[best] - scores[current] > MARGIN * decayedAccesses) {
      current = best;
      applySetting();
      // A smaller window gives its oldest to probation now; a larger one fills as keys arrive.
      while (lists.size(WINDOW) > windowMax) {
        move(lists.first(WINDOW), PROBATION);
      }
    }
  }

  private void add(int slot, byte q) {
    queues[slot] = q;
    lists.addLast(q, slot);
  }

  private void move(int slot, byte to) {
    lists.remove(queues[slot], slot);
    add(slot, to);
  }

  /** Spreads a key's hash code, as keys' own hashes are often sequential or low-entropy. */
  private static int spread(int h) {
    h ^= h >>> 16;
    h *= 0x45D9F3B;
    h ^= h >>> 16;
    return h;
  }
}
