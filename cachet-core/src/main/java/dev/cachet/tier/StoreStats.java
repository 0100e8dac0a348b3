package dev.cachet.tier;

/**
 * Counters of a {@link Store}.
 *
 * @param entries entries held
 * @param bytes bytes of entries held (payloads and frames)
 * @param hits reads that returned an entry
 * @param misses reads that returned nothing
 * @param writes entries stored
 * @param evictions entries removed to respect the size limit
 * @param expirations expired entries removed
 * @param corruptions unreadable entries found and removed
 * @param failures operations that failed because of the store (I/O errors, locks, timeouts)
 */
public record StoreStats(long entries, long bytes, long hits, long misses, long writes,
    long evictions, long expirations, long corruptions, long failures) {
}
