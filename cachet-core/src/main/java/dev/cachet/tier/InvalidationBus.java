package dev.cachet.tier;

import java.util.List;
import java.util.function.Consumer;

/**
 * Carries invalidations between the processes sharing a tier, so that each drops the entry from
 * its own local tiers (memory, disk) and never serves a value another process invalidated.
 * Provided by a shared store through {@link Store#invalidationBus()}.
 *
 * <p>Never throws because of its own trouble (connection loss, timeouts): it logs, counts, and
 * recovers. When it cannot know what it missed during a disconnection, it delivers an
 * {@link Invalidation.Scope#ALL} invalidation so local tiers are flushed rather than stale.
 */
public interface InvalidationBus extends AutoCloseable {

  /**
   * Sends {@code invalidation} to every other process and records it in the audit log. The bus
   * fills in the origin. Returns without waiting for the other processes.
   */
  void publish(Invalidation invalidation);

  /**
   * Registers the receiver of other processes' invalidations (never this process's own). The
   * receiver runs on the bus's thread and must be quick and must not throw.
   */
  void subscribe(Consumer<Invalidation> receiver);

  /** The most recent invalidations from the audit log, newest first, at most {@code limit}. */
  List<Invalidation> recent(int limit);

  /**
   * How far this process has received the shared invalidation log: an opaque position that
   * local tiers outliving the process (disk) save, so that the next run can catch up with what
   * was invalidated while it was down. Null when unknown.
   */
  default String position() {
    return null;
  }

  /**
   * Delivers to this process's receivers what the log holds after {@code position} (saved by an
   * earlier run), or an {@link Invalidation.Scope#ALL} invalidation when the log no longer
   * reaches back that far, and returns once they have been delivered.
   *
   * @return false when this bus cannot replay now (the log is unreachable, or the replay took
   *     too long): the caller must then flush its persistent local tiers, since it cannot know
   *     what they missed
   */
  default boolean replayFrom(String position) {
    return false;
  }

  /**
   * What this bus has sent and received since it was opened, for monitoring (such as
   * cachet-micrometer's meters). Never throws.
   *
   * @return the counters; {@link InvalidationCounts#NONE} for a bus that does not count
   */
  default InvalidationCounts counts() {
    return InvalidationCounts.NONE;
  }

  /** Stops receiving and releases connections; idempotent, never throws. */
  @Override
  void close();
}
