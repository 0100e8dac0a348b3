package dev.cachet.memo;

/** The real computation behind a cache miss; may throw anything, which reaches the caller. */
@FunctionalInterface
interface Loader {

  /** Computes the value; null is a legitimate result. */
  Object load() throws Throwable;
}
