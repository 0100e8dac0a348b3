package dev.cachet.tier;

import java.time.Duration;

/**
 * Single-flight across processes: when a key is missing everywhere, one process of the fleet
 * computes it while the others wait to be notified, then read the result from the shared tier.
 * Provided by a shared store through {@link Store#fleetFlight()}.
 *
 * <p>Locks carry an owner token, are renewed while the computation runs, released by
 * compare-and-delete, and expire on their own when their owner dies. Never throws because of
 * its own trouble: an unreachable store means "compute locally".
 */
public interface FleetFlight {

  /**
   * Tries to become the one process computing the entry.
   *
   * @return a lease to close once the result is stored (or the computation failed), or null when
   *     another live process holds the lock
   */
  Lease tryLead(String namespace, String digest);

  /**
   * Waits, without polling in a tight loop, until the process holding the entry's lock releases
   * it, at most {@code maxWait}.
   *
   * @return true when it was released within the bound, false on timeout
   */
  boolean awaitRelease(String namespace, String digest, Duration maxWait);

  /** The right to compute one entry for the fleet; closing it releases the lock and wakes waiters. */
  interface Lease extends AutoCloseable {
    /** Releases the lock if this process still owns it; idempotent, never throws. */
    @Override
    void close();
  }
}
