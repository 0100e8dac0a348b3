package dev.cachet.memo;

/**
 * A value stored with when it was written and how long it took to compute, kept only by caches
 * that refresh ahead of expiry (XFetch) or serve stale values while refreshing: both decide on a
 * hit from these two numbers.
 *
 * @param stored the stored form (the value or {@code NullValue.INSTANCE})
 * @param writtenNanos the ticker's reading when it was stored
 * @param computeNanos how long the computation took; 0 when unknown (read from a tier, or put)
 */
record Stamped(Object stored, long writtenNanos, long computeNanos) {
}
