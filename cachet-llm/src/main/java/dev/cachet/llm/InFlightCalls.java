package dev.cachet.llm;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One upstream call per exact key at a time: concurrent identical misses share it (and its
 * exception), since each call costs money and seconds.
 */
final class InFlightCalls {
  private final Map<String, CompletableFuture<LlmResult>> running = new ConcurrentHashMap<>();

  /**
   * The result of a call, and whether it was another caller's.
   *
   * @param result the call's result
   * @param shared true when this caller waited for an identical call in flight
   */
  record Outcome(LlmResult result, boolean shared) {
  }

  /**
   * Runs {@code call} unless an identical one (same exact key) is running, in which case waits
   * for that one and returns its result or throws its exception.
   */
  Outcome run(String exactKey, Supplier<LlmResult> call) {
    CompletableFuture<LlmResult> mine = new CompletableFuture<>();
    CompletableFuture<LlmResult> other = running.putIfAbsent(exactKey, mine);
    if (other != null) {
      try {
        return new Outcome(other.join(), true);
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      LlmResult result = call.get();
      mine.complete(result);
      return new Outcome(result, false);
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      running.remove(exactKey, mine);
    }
  }
}
