package dev.cachet.disk;

/**
 * The store's counters: each is a row of the {@code counters} table, named in lower case, and
 * an index ({@link #ordinal()}) into the counts buffered or collected for a transaction.
 */
enum Counter { HITS, MISSES, WRITES, EVICTIONS, EXPIRATIONS, CORRUPTIONS, FAILURES }
