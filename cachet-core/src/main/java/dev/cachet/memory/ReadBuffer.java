package dev.cachet.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Buffers the reads of a {@link PolicyStore} so that {@code get} never takes the lock: each read
 * appends the node to a small ring, and whoever holds the lock later replays the rings into the
 * eviction order.
 *
 * <p>Unlike a sampling cache, an exact policy must not lose a read, so a full ring is never
 * skipped: {@link #offer} reports it and the caller drains under the lock before retrying. A
 * thread always uses the same stripe (chosen from its id), hence one thread's reads are replayed
 * in exactly the order they happened, which is what makes single-threaded evictions textbook.
 * Several stripes spread concurrent readers over different rings and cache lines.
 *
 * <p>Each stripe is a bounded multi-producer, single-consumer ring: producers claim a slot by
 * advancing {@code tail} with a CAS and then publish the node into it; the consumer, which is
 * always the lock holder, empties slots from {@code head} up to the first one not yet published.
 */
final class ReadBuffer {
  /** Result of {@link #offer}: buffered, nothing else to do. */
  static final int RECORDED = 0;
  /** Result of {@link #offer}: buffered, and the stripe is filling up; drain if the lock is free. */
  static final int DRAIN_ADVISED = 1;
  /** Result of {@link #offer}: not buffered, the stripe is full; drain under the lock and retry. */
  static final int FULL = 2;

  /** Slots per stripe: enough to batch many reads per lock acquisition, small enough to stay hot. */
  static final int STRIPE_CAPACITY = 64;
  private static final int SLOT_MASK = STRIPE_CAPACITY - 1;
  /** Pending reads in a stripe from which readers start offering to drain. */
  static final int DRAIN_THRESHOLD = STRIPE_CAPACITY / 2;

  private static final VarHandle STRIPES = MethodHandles.arrayElementVarHandle(Stripe[].class);
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Node[].class);
  private static final VarHandle HEAD;
  private static final VarHandle TAIL;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      HEAD = lookup.findVarHandle(HeadField.class, "head", long.class);
      TAIL = lookup.findVarHandle(TailField.class, "tail", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Receives the buffered reads during a drain. */
  @FunctionalInterface
  interface Sink {
    void accept(Node n);
  }

  /** Created lazily: a store read by few threads pays for few rings. */
  private final Stripe[] stripes;
  private final int shift;

  ReadBuffer() {
    int cpus = Runtime.getRuntime().availableProcessors();
    // At least 4 stripes (so the shift below stays under 64), at most 64.
    int count = Integer.highestOneBit(Math.min(64, 4 * Math.max(1, cpus)) * 2 - 1);
    stripes = new Stripe[count];
    shift = 64 - Integer.numberOfTrailingZeros(count);
  }

  /** Buffers a read of {@code n}; returns {@link #RECORDED}, {@link #DRAIN_ADVISED} or {@link #FULL}. */
  int offer(Node n) {
    return stripe().offer(n);
  }

  /** Replays every published read, stripe by stripe in buffered order. Lock held. */
  void drain(Sink sink) {
    Stripe[] all = stripes;
    for (int i = 0; i < all.length; i++) {
      Stripe s = (Stripe) STRIPES.getAcquire(all, i);
      if (s != null) {
        s.drain(sink);
      }
    }
  }

  private Stripe stripe() {
    // Fibonacci hashing spreads consecutive thread ids (the usual case) over distinct stripes.
    int index = (int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> shift);
    Stripe s = (Stripe) STRIPES.getAcquire(stripes, index);
    if (s == null) {
      Stripe created = new Stripe();
      s = (Stripe) STRIPES.compareAndExchange(stripes, index, null, created);
      if (s == null) {
        s = created;
      }
    }
    return s;
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

  /** One bounded ring. */
  static final class Stripe extends PadAfterTail {
    private final Node[] slots = new Node[STRIPE_CAPACITY];

    int offer(Node n) {
      for (;;) {
        // Reading head before tail can only overestimate the pending count, never underflow it.
        long h = (long) HEAD.getAcquire(this);
        long t = tail;
        long pending = t - h;
        if (pending >= STRIPE_CAPACITY) {
          return FULL;
        }
        if (TAIL.weakCompareAndSet(this, t, t + 1)) {
          SLOTS.setRelease(slots, (int) t & SLOT_MASK, n);
          return pending + 1 >= DRAIN_THRESHOLD ? DRAIN_ADVISED : RECORDED;
        }
      }
    }

    void drain(Sink sink) {
      long h = head;
      long t = (long) TAIL.getAcquire(this);
      while (h != t) {
        int i = (int) h & SLOT_MASK;
        Node n = (Node) SLOTS.getAcquire(slots, i);
        if (n == null) {
          // Claimed but not yet published: stop here to keep the order; a later drain resumes.
          break;
        }
        // Plain store suffices: the release of head below orders it before any producer reuse.
        slots[i] = null;
        h++;
        sink.accept(n);
      }
      HEAD.setRelease(this, h);
    }
  }
}
