package dev.cachet.memo;

/** An exception kept in the cache, when the cache was asked to cache exceptions for a while. */
record StoredFailure(Throwable failure) {
}
