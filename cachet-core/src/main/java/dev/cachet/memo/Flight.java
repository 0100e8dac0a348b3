package dev.cachet.memo;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One load in progress for one key: the owner runs it, other callers wait for its outcome.
 * {@code invalidated} is raised when the key is invalidated mid-load, so a result computed from
 * state older than the invalidation is handed to the waiting callers but never stored.
 */
final class Flight {
  /** The flight each waiting thread waits for: the edges of the waits-for graph. */
  private static final ConcurrentHashMap<Thread, Flight> WAITING = new ConcurrentHashMap<>();
  /** Marks a thread that waited for nothing before. */
  static final Flight NOT_WAITING = new Flight();

  final Thread owner = Thread.currentThread();
  final CompletableFuture<Object> outcome = new CompletableFuture<>();
  volatile boolean invalidated;

  /**
   * Records that the current thread is about to wait for {@code flight}, unless that would
   * close a cycle (its owner waits, directly or through others, for the current thread). The
   * edge is published before the walk, so of two threads closing a cycle at once, at least the
   * second sees it.
   *
   * @return the edge to restore with {@link #stopWaiting} ({@link #NOT_WAITING} when there was
   *     none, as a thread may wait again in code nested inside its own wait), or null when
   *     waiting would deadlock, in which case nothing changed
   */
  static Flight startWaiting(Flight flight) {
    Thread me = Thread.currentThread();
    Flight previous = WAITING.put(me, flight);
    Thread t = flight.owner;
    for (int hops = 0; t != null && hops < 10_000; hops++) {
      if (t == me) {
        stopWaiting(previous == null ? NOT_WAITING : previous);
        return null;
      }
      Flight next = WAITING.get(t);
      t = next == null ? null : next.owner;
    }
    return previous == null ? NOT_WAITING : previous;
  }

  /** Restores the current thread's waits-for edge to what {@link #startWaiting} returned. */
  static void stopWaiting(Flight previous) {
    if (previous == NOT_WAITING) {
      WAITING.remove(Thread.currentThread());
    } else {
      WAITING.put(Thread.currentThread(), previous);
    }
  }

  /** Waits for the owner and returns its result or throws what it threw. */
  Object await() {
    try {
      return outcome.join();
    } catch (CompletionException e) {
      throw Sneaky.rethrow(e.getCause());
    }
  }
}
