package dev.cachet.cli.simulate.candidates;

import java.util.HashMap;
import java.util.Map;

/**
 * Window TinyLFU (Einziger, Friedman and Manes, 2017), written for the simulator so that its
 * parts can be switched and tuned, unlike Caffeine's: new keys enter an LRU "window"; keys
 * leaving the window compete for a place in the main area, a segmented LRU (probation, then
 * protected once hit there), against main's next victim, and win only when a
 * {@link FrequencySketch} says they were seen more often recently.
 *
 * <p>Two knobs make it a building block for adaptive designs:
 *
 * <ul>
 *   <li>the window's share, which a {@link HillClimber} may retune every sample period (as
 *       Caffeine does since 2.x): a larger window favours recency, a smaller one frequency;
 *   <li>{@link #setAdmission admission} itself: switched off, every key leaving the window enters
 *       probation and main's victim goes, which turns the design into a plain segmented LRU.
 * </ul>
 */
public final class WindowTinyLfuCache implements CandidateCache {
  private static final int WINDOW = 0;
  private static final int PROBATION = 1;
  private static final int PROTECTED = 2;
  private static final double PROTECTED_SHARE = 0.8;

  private final int capacity;
  private final Map<Long, Node> nodes = new HashMap<>();
  private final NodeDeque window = new NodeDeque();
  private final NodeDeque probation = new NodeDeque();
  private final NodeDeque protectedList = new NodeDeque();
  private final FrequencySketch sketch;
  private final HillClimber climber;
  private int windowMax;
  private int protectedMax;
  private long clock;
  private boolean admission = true;
  private boolean randomAdmission = true;
  private final java.util.SplittableRandom random;

  /**
   * A W-TinyLFU of {@code capacity} keys, admission on, Caffeine's random admission on.
   *
   * @param capacity the most keys held
   * @param windowShare the window's initial share of {@code capacity}, 0 to 1
   * @param climb whether a hill climber retunes the window's share
   * @param seed salts the sketch's hashes, for runs that differ only by their collisions
   */
  public WindowTinyLfuCache(int capacity, double windowShare, boolean climb, long seed) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
    this.sketch = new FrequencySketch(capacity, seed);
    this.random = new java.util.SplittableRandom(seed);
    this.climber = climb ? new HillClimber(capacity) : null;
    setWindowMax((int) Math.round(capacity * windowShare));
  }

  /** Switches the admission filter on (W-TinyLFU) or off (every window leaver is kept). */
  public void setAdmission(boolean on) {
    this.admission = on;
  }

  /**
   * Whether a frequent candidate that loses its duel is still let in once in 128 times, as
   * Caffeine does (on by default). It helps when main holds entries whose counts are stale, and
   * hurts on loops, where every candidate is as frequent as its victim.
   */
  public void setRandomAdmission(boolean on) {
    this.randomAdmission = on;
  }

  /** Whether the admission filter is on. */
  public boolean admission() {
    return admission;
  }

  /** The window's current maximum, in entries. */
  public int windowMax() {
    return windowMax;
  }

  /** Sets the window's maximum (clamped to 0..capacity); takes effect on the next miss. */
  public void setWindowMax(int entries) {
    windowMax = Math.max(0, Math.min(capacity, entries));
    protectedMax = (int) ((capacity - windowMax) * PROTECTED_SHARE);
  }

  @Override
  public boolean access(long key) {
    sketch.increment(key);
    clock++;
    Node n = nodes.get(key);
    boolean hit = n != null;
    if (hit) {
      n.stamp = clock;
      onHit(n);
    } else {
      onMiss(key);
    }
    if (climber != null) {
      int delta = climber.record(hit);
      if (delta != 0) {
        setWindowMax(windowMax + delta);
      }
    }
    return hit;
  }

  private void onHit(Node n) {
    switch (n.queue) {
      case WINDOW -> window.moveToHead(n);
      case PROBATION -> {
        probation.remove(n);
        n.queue = PROTECTED;
        protectedList.addHead(n);
        demoteProtectedOverflow();
      }
      default -> protectedList.moveToHead(n);
    }
  }

  private void demoteProtectedOverflow() {
    while (protectedList.size() > protectedMax) {
      Node d = protectedList.pollTail();
      d.queue = PROBATION;
      probation.addHead(d);
    }
  }

  private void onMiss(long key) {
    Node n = new Node(key);
    n.stamp = clock;
    n.queue = WINDOW;
    window.addHead(n);
    nodes.put(key, n);
    while (window.size() > windowMax) {
      Node candidate = window.pollTail();
      candidate.queue = PROBATION;
      probation.addHead(candidate);
      if (nodes.size() > capacity) {
        duel(candidate);
      }
    }
    while (nodes.size() > capacity) {
      // Only after the window grew: main is over its share. Whatever goes now, no candidate is
      // waiting, so the least recently used of the three queues' oldest goes, as in LRU; giving
      // back main's coldest first would throw out its recently hit entries along with the rest.
      evict(leastRecent(probation.tail(), protectedList.tail(), window.tail()));
    }
    demoteProtectedOverflow();
  }

  /** The candidate, just moved to probation, against main's victim: one of them goes. */
  private void duel(Node candidate) {
    Node victim = mainVictim(candidate);
    if (victim == null) {
      evict(candidate);
    } else if (!admission || admits(candidate.key, victim.key)) {
      evict(victim);
    } else {
      evict(candidate);
    }
  }

  private boolean admits(long candidate, long victim) {
    int c = sketch.frequency(candidate);
    int v = sketch.frequency(victim);
    if (c > v) {
      return true;
    }
    // A candidate seen often that still loses may be up against an entry whose count is
    // inflated by hash collisions (or by an attack on the hash): let one in now and then.
    return randomAdmission && c >= 6 && (random.nextInt() & 127) == 0;
  }

  /** Main's coldest entry other than {@code except}: probation's oldest, else protected's. */
  private Node mainVictim(Node except) {
    Node v = probation.tail();
    if (v != null && v != except) {
      return v;
    }
    v = protectedList.tail();
    if (v != null) {
      return v;
    }
    return except == null ? window.tail() : null;
  }

  private static Node leastRecent(Node a, Node b, Node c) {
    Node least = a;
    for (Node n : new Node[] {b, c}) {
      if (n != null && (least == null || n.stamp < least.stamp)) {
        least = n;
      }
    }
    return least;
  }

  private void evict(Node n) {
    switch (n.queue) {
      case WINDOW -> window.remove(n);
      case PROBATION -> probation.remove(n);
      default -> protectedList.remove(n);
    }
    nodes.remove(n.key);
  }

  /** The resident keys in the order of their last access, least recent first. */
  @Override
  public long[] residentKeys() {
    return nodes.values().stream().sorted(java.util.Comparator.comparingLong(n -> n.stamp))
        .mapToLong(n -> n.key).toArray();
  }

  @Override
  public int size() {
    return nodes.size();
  }
}
