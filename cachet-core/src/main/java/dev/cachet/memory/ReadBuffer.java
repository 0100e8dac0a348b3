package dev.cachet.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Buffers the reads of a {@link PolicyStore} so that {@code get} never takes the lock: each read
 * appends the entry's ticket (see {@link Node#ticket}) to a small ring, and whoever holds the lock
 * later replays the rings into the eviction order.
 *
 * <p>Unlike a sampling cache, an exact policy must not lose a read, so a full ring is never
 * skipped: {@link #offer} reports it and the caller drains under the lock before retrying. A
 * thread keeps to one ring (it moves at most once, from a shared ring to the ring of a thread that
 * died, which the drain order accounts for), hence one thread's reads are replayed in exactly the
 * order they happened, which is what makes single-threaded evictions textbook.
 *
 * <p>Recording is meant to cost next to nothing, and in particular no memory fence, because a
 * fence stops the processor from overlapping one lookup's cache misses with the next one's,
 * which at a million entries multiplies the cost of a read. Hence:
 *
 * <ul>
 *   <li>A ring holds {@code long} tickets, not references: storing a reference into an old array
 *       runs the garbage collector's write barrier, which for G1 includes a fence.
 *   <li>A thread claims the ring of its home stripe (chosen from its id) and is then its only
 *       producer: an append is a plain store and a release store of the tail, no CAS. Threads
 *       whose home ring belongs to another live thread share a second ring per stripe, appended
 *       to with a CAS. The ring of a thread that died is taken over by the next claimant.
 * </ul>
 *
 */
final class ReadBuffer {
  /** Result of {@link #offer}: buffered, nothing else to do. */
  static final int RECORDED = 0;
  /** Result of {@link #offer}: buffered, and the ring is filling up; drain if the lock is free. */
  static final int DRAIN_ADVISED = 1;
  /** Result of {@link #offer}: not buffered, the ring is full; drain under the lock and retry. */
  static final int FULL = 2;

  /** Slots per ring: enough to batch many reads per lock acquisition, small enough to stay hot. */
  static final int RING_CAPACITY = 64;
  private static final int MASK = RING_CAPACITY - 1;
  /** Pending reads in a ring from which readers start offering to drain. */
  static final int DRAIN_THRESHOLD = RING_CAPACITY / 2;

  /** The sparsest sampling of {@link #contended}: one read in 16. */
  private static final int MAX_SKIP_MASK = 15;

  /** Stripes after its home one where a thread looks for a ring of its own. */
  private static final int PROBES = 3;

  private static final VarHandle RINGS = MethodHandles.arrayElementVarHandle(Ring[].class);
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle HEAD;
  private static final VarHandle TAIL;
  private static final VarHandle OWNER;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      HEAD = lookup.findVarHandle(HeadField.class, "head", long.class);
      TAIL = lookup.findVarHandle(TailField.class, "tail", long.class);
      OWNER = lookup.findVarHandle(Ring.class, "owner", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Receives the buffered reads during a drain. */
  @FunctionalInterface
  interface Sink {
    /** Applies one buffered read. */
    void accept(long ticket);
  }

  /** Rings owned by one thread each; created lazily, so a store read by few threads stays small. */
  private final Ring[] owned;
  /** Rings shared by the threads whose home ring is owned by another; created lazily. */
  private final Ring[] shared;
  private final int shift;

  ReadBuffer() {
    int cpus = Math.max(1, Runtime.getRuntime().availableProcessors());
    // A power of two between 4 and 64, so that the shift below stays under 64.
    int count = Integer.highestOneBit(Math.min(64, 4 * cpus) * 2 - 1);
    owned = new Ring[count];
    shared = new Ring[count];
    shift = 64 - Integer.numberOfTrailingZeros(count);
  }

  /** Buffers a read; returns {@link #RECORDED}, {@link #DRAIN_ADVISED} or {@link #FULL}. */
  int offer(long ticket) {
    Thread me = Thread.currentThread();
    int i = home(me);
    Ring r = (Ring) RINGS.getAcquire(owned, i);
    if (r != null && r.owner == me) {
      if (r.skips()) {
        return RECORDED; // sampling while contended, see contended()
      }
      return r.offerAsOwner(ticket);
    }
    return offerSlowly(me, i, r, ticket);
  }

  /**
   * For a store that may drop reads: the calling thread just dropped one because its ring was
   * full while another thread drained. From now on its ring records only one read in 2, 4, ...
   * up to 16, so that under contention the lock holder replays a sample of the reads instead
   * of all of them (a frequency sketch and a recency order need no more than a sample of a hot
   * key's reads). A thread alone never gets here, so its reads stay exact.
   */
  void contended() {
    Ring r = ownRing();
    if (r != null && r.skipMask < MAX_SKIP_MASK) {
      r.skipMask = (r.skipMask << 1) | 1;
    }
  }

  /** The calling thread drained without waiting: its ring samples half as sparsely again. */
  void uncontended() {
    Ring r = ownRing();
    if (r != null && r.skipMask != 0) {
      r.skipMask >>>= 1;
    }
  }

  /** A thread's home stripe: Fibonacci hashing spreads consecutive thread ids over stripes. */
  private int home(Thread thread) {
    return (int) ((thread.getId() * 0x9E3779B97F4A7C15L) >>> shift);
  }

  /** For tests: how many of the calling thread's reads one recorded read stands for (1 to 16). */
  int samplingOfThisThread() {
    Ring r = ownRing();
    return r == null ? 1 : r.skipMask + 1;
  }

  /** The calling thread's own ring (home stripe or one of its probes), or null if it has none. */
  private Ring ownRing() {
    Thread me = Thread.currentThread();
    int i = home(me);
    for (int k = 0; k <= PROBES; k++) {
      Ring r = (Ring) RINGS.getAcquire(owned, (i + k) & (owned.length - 1));
      if (r != null && r.owner == me) {
        return r;
      }
    }
    return null;
  }

  private int offerSlowly(Thread me, int i, Ring r, long ticket) {
    if (r == null) {
      Ring mine = new Ring(me);
      r = (Ring) RINGS.compareAndExchange(owned, i, null, mine);
      if (r == null) {
        return mine.offerAsOwner(ticket);
      }
    }
    // The home ring belongs to another live thread (a thread that only populated the store, say):
    // look for an own ring among the next few stripes before settling for the contended shared
    // ring. The probe order is fixed, so a thread finds the same ring on every read.
    for (int k = 1; k <= PROBES; k++) {
      int j = (i + k) & (owned.length - 1);
      Ring q = (Ring) RINGS.getAcquire(owned, j);
      if (q == null) {
        Ring mine = new Ring(me);
        q = (Ring) RINGS.compareAndExchange(owned, j, null, mine);
        if (q == null) {
          return mine.offerAsOwner(ticket);
        }
      }
      if (q.owner == me) {
        if (q.skips()) {
          return RECORDED;
        }
        return q.offerAsOwner(ticket);
      }
    }
    Ring s = (Ring) RINGS.getAcquire(shared, i);
    if (s == null) {
      Ring created = new Ring(null);
      s = (Ring) RINGS.compareAndExchange(shared, i, null, created);
      if (s == null) {
        s = created;
      }
    }
    int result = s.offerShared(ticket);
    if (result != RECORDED) {
      // Now and then (isAlive is a native call in Java 17), see whether the home ring's owner
      // died; its ring is then ours for the next reads. The dead owner published everything up
      // to its last tail, and its termination happens-before isAlive returning false.
      Thread owner = r.owner;
      if (!owner.isAlive()) {
        OWNER.compareAndSet(r, owner, me);
      }
    }
    return result;
  }

  /** Replays every published read, ring by ring in buffered order. Lock held. */
  void drain(Sink sink) {
    // Shared rings first: a thread moves from a shared ring to an owned one (taking over a dead
    // owner's) but never back, so this replays its older reads before its newer ones.
    drain(shared, sink);
    drain(owned, sink);
  }

  private static void drain(Ring[] rings, Sink sink) {
    for (int i = 0; i < rings.length; i++) {
      Ring r = (Ring) RINGS.getAcquire(rings, i);
      if (r != null) {
        r.drain(sink);
      }
    }
  }

  // Padding keeps the consumer's head, the producers' tail and neighbouring objects on separate
  // cache lines; the JVM lays superclass fields out first, so the hierarchy fixes the order.

  abstract static class PadBeforeHead {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
  }

  abstract static class HeadField extends PadBeforeHead {
    volatile long head;
  }

  abstract static class PadBeforeTail extends HeadField {
    long p10, p11, p12, p13, p14, p15, p16, p17;
    long p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;
  }

  abstract static class TailField extends PadBeforeTail {
    volatile long tail;
  }

  abstract static class PadAfterTail extends TailField {
    long p20, p21, p22, p23, p24, p25, p26, p27;
    long p28, p29, p2a, p2b, p2c, p2d, p2e, p2f;
  }

  /**
   * One bounded ring of tickets, 0 marking an empty slot (no ticket is 0). Its consumer is always
   * the holder of the store's lock; its producer is either its owner thread alone, or any thread
   * through a CAS on the tail for a shared ring.
   */
  static final class Ring extends PadAfterTail {
    private final long[] slots = new long[RING_CAPACITY];
    /** The only producer, or null for a shared ring. */
    volatile Thread owner;
    /** Owner-only: reads skipped are those whose count has low bits set under this mask. */
    int skipMask;
    /** Owner-only: counts reads while sampling. */
    int skipped;

    Ring(Thread owner) {
      this.owner = owner;
    }

    /** Owner only: whether to leave this read out of the sample (see {@link #contended}). */
    boolean skips() {
      return skipMask != 0 && (++skipped & skipMask) != 0;
    }

    int offerAsOwner(long ticket) {
      // Only this thread writes the tail, so a plain read of it is current.
      long t = (long) TAIL.get(this);
      long h = (long) HEAD.getAcquire(this);
      if (t - h >= RING_CAPACITY) {
        return FULL;
      }
      slots[(int) t & MASK] = ticket;
      TAIL.setRelease(this, t + 1);
      return t + 1 - h >= DRAIN_THRESHOLD ? DRAIN_ADVISED : RECORDED;
    }

    int offerShared(long ticket) {
      for (;;) {
        // Reading head before tail can only overestimate the pending count, never underflow it.
        long h = (long) HEAD.getAcquire(this);
        long t = tail;
        if (t - h >= RING_CAPACITY) {
          return FULL;
        }
        if (TAIL.weakCompareAndSet(this, t, t + 1)) {
          SLOTS.setRelease(slots, (int) t & MASK, ticket);
          return t + 1 - h >= DRAIN_THRESHOLD ? DRAIN_ADVISED : RECORDED;
        }
      }
    }

    void drain(Sink sink) {
      long h = head;
      long t = (long) TAIL.getAcquire(this);
      if (h == t) {
        return;
      }
      while (h != t) {
        int i = (int) h & MASK;
        long ticket = (long) SLOTS.getAcquire(slots, i);
        if (ticket == 0) {
          // Claimed in a shared ring but not yet published: stop to keep the order; a later
          // drain resumes here.
          break;
        }
        // Plain store suffices: the release of head below orders it before any producer reuse.
        slots[i] = 0;
        h++;
        sink.accept(ticket);
      }
      HEAD.setRelease(this, h);
    }
  }
}
