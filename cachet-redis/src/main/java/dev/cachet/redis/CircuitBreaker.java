package dev.cachet.redis;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Stops paying a timeout on every call while Redis is down or slow. Closed: every call goes
 * through. After {@code threshold} consecutive failures it opens for a backoff period (first
 * {@code minBackoff}, doubling up to {@code maxBackoff} while probes keep failing); while open
 * calls are refused at once. When the period ends, one caller is let through as a probe
 * (half-open): its success closes the breaker, its failure opens it again for longer.
 * {@link #probeNow()} (on a reconnection) ends the open period early, so a restarted server is
 * used again as soon as the connection is back rather than after the backoff.
 *
 * <p>Lock-free: the hit path reads one volatile field.
 */
final class CircuitBreaker {
  /** Told when the breaker opens or closes; called outside any lock, on the caller's thread. */
  interface Listener {
    void opened(Throwable cause, long forMillis);

    void closed(long openMillis);
  }

  private final int threshold;
  private final long minBackoffNanos;
  private final long maxBackoffNanos;
  private final LongSupplier nanoTime;
  private final Listener listener;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicBoolean probing = new AtomicBoolean();
  /** 0 when closed; otherwise the nanoTime at which a probe may go through. */
  private volatile long openUntil;
  private volatile long openedAt;
  private volatile long backoffNanos;

  CircuitBreaker(int threshold, long minBackoffNanos, long maxBackoffNanos,
      LongSupplier nanoTime, Listener listener) {
    this.threshold = threshold;
    this.minBackoffNanos = minBackoffNanos;
    this.maxBackoffNanos = maxBackoffNanos;
    this.nanoTime = nanoTime;
    this.listener = listener;
    this.backoffNanos = minBackoffNanos;
  }

  /** Whether a call may go to Redis now (closed, or this caller is the half-open probe). */
  boolean allow() {
    long until = openUntil;
    if (until == 0) {
      return true;
    }
    if (nanoTime.getAsLong() - until < 0) {
      return false;
    }
    // Half-open: exactly one probe at a time.
    return probing.compareAndSet(false, true);
  }

  /** Whether the breaker is open (calls refused, or only a probe let through). */
  boolean isOpen() {
    return openUntil != 0;
  }

  /** A call succeeded. */
  void success() {
    // Read before writing: the hit path of every thread calls this, and an unconditional
    // write would bounce the counter's cache line between cores.
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
    if (openUntil == 0) {
      return;
    }
    synchronized (this) {
      if (openUntil == 0) {
        return;
      }
      openUntil = 0;
      backoffNanos = minBackoffNanos;
      probing.set(false);
    }
    listener.closed((nanoTime.getAsLong() - openedAt) / 1_000_000);
  }

  /** A call failed because of Redis (timeout, connection refused, server error). */
  void failure(Throwable cause) {
    long forNanos;
    synchronized (this) {
      if (openUntil != 0) {
        if (!probing.get()) {
          return; // a call started before the breaker opened; already counted
        }
        // The probe failed: stay open, for longer.
        backoffNanos = Math.min(maxBackoffNanos, backoffNanos * 2);
        forNanos = backoffNanos;
        openUntil = nonZero(nanoTime.getAsLong() + forNanos);
        probing.set(false);
        return;
      }
      if (consecutiveFailures.incrementAndGet() < threshold) {
        return;
      }
      forNanos = backoffNanos;
      long now = nanoTime.getAsLong();
      openedAt = now;
      openUntil = nonZero(now + forNanos);
    }
    listener.opened(cause, forNanos / 1_000_000);
  }

  /** Ends the open period now: the next call probes (used when the connection comes back). */
  void probeNow() {
    synchronized (this) {
      if (openUntil != 0 && !probing.get()) {
        openUntil = nonZero(nanoTime.getAsLong());
      }
    }
  }

  /** Releases the probe slot without a verdict (the probe did not reach Redis). */
  void probeAbandoned() {
    probing.set(false);
  }

  /** Opens the breaker at once (the first connection failed), as if the threshold was hit. */
  void openNow(Throwable cause) {
    long forNanos;
    synchronized (this) {
      if (openUntil != 0) {
        return;
      }
      forNanos = backoffNanos;
      long now = nanoTime.getAsLong();
      openedAt = now;
      openUntil = nonZero(now + forNanos);
    }
    listener.opened(cause, forNanos / 1_000_000);
  }

  private static long nonZero(long t) {
    return t == 0 ? 1 : t;
  }

  @Override
  public String toString() {
    return openUntil == 0 ? "closed" : "open";
  }
}
