package dev.cachet.stats;

/**
 * Receives the events of the caches it is registered with. Called synchronously on the thread
 * that caused the event (see {@link CacheEvent} for ADAPTIVE evictions), so it must be fast and must not call back into the same cache for the
 * same key. An exception thrown by a listener is swallowed: a listener cannot break a caller.
 */
@FunctionalInterface
public interface CacheListener {

  /** Handles one event. */
  void onEvent(CacheEvent event);
}
