package dev.cachet.memo;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One load in progress for one key: the owner runs it, other callers wait for its outcome.
 * {@code invalidated} is raised when the key is invalidated mid-load, so a result computed from
 * state older than the invalidation is handed to the waiting callers but never stored.
 */
final class Flight {
  final Thread owner = Thread.currentThread();
  final CompletableFuture<Object> outcome = new CompletableFuture<>();
  volatile boolean invalidated;

  /** Waits for the owner and returns its result or throws what it threw. */
  Object await() {
    try {
      return outcome.join();
    } catch (CompletionException e) {
      throw Sneaky.rethrow(e.getCause());
    }
  }
}
