package dev.cachet.tier;

/**
 * Counters of an {@link InvalidationBus} since it was opened, for monitoring.
 *
 * @param sent invalidations this process sent to the others (first attempts and later resends)
 * @param sendFailures attempts to send that failed (the bus keeps and resends what it can)
 * @param received invalidations from other processes delivered as they were sent
 * @param replayed invalidations from other processes delivered from the log after this process
 *     was disconnected or stopped
 */
public record InvalidationCounts(long sent, long sendFailures, long received, long replayed) {

  /** The counts of a bus that does not count: all zero. */
  public static final InvalidationCounts NONE = new InvalidationCounts(0, 0, 0, 0);
}
