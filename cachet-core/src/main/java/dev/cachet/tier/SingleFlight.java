package dev.cachet.tier;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One computation per key at a time in this process: concurrent callers of a key that is being
 * computed wait for that computation and share its result or its exception. For integrations
 * whose misses are expensive (an LLM call costs money and seconds) and that keep entries with a
 * {@link TierEngine}; memoized functions have the same guarantee built in.
 *
 * <pre>{@code
 * SingleFlight<String, Answer> calls = new SingleFlight<>("LLM calls");
 * SingleFlight.Outcome<Answer> o = calls.run(exactKey, () -> upstream.call(request));
 * o.shared();   // true when this caller waited for an identical call already running
 * }</pre>
 *
 * <p>The computation runs on the first caller's thread, outside any lock. A computation that
 * asks for its own key again on the same thread would wait for itself forever; it fails at once
 * with an {@link IllegalStateException} instead. Thread-safe.
 *
 * @param <K> the key type (with {@code equals} and {@code hashCode})
 * @param <V> the result type
 */
public final class SingleFlight<K, V> {
  private final String what;
  private final ConcurrentHashMap<K, Call<V>> running = new ConcurrentHashMap<>();

  private record Call<V>(Thread owner, CompletableFuture<V> outcome) {
  }

  /**
   * What a caller got.
   *
   * @param <V> the result type
   * @param value the computation's result; null when it returned null
   * @param shared true when this caller waited for a computation another caller started
   */
  public record Outcome<V>(V value, boolean shared) {
  }

  /**
   * A single-flight group.
   *
   * @param what what is computed, for messages (such as {@code "LLM calls"}); not null
   */
  public SingleFlight(String what) {
    this.what = Objects.requireNonNull(what, "what");
  }

  /**
   * Runs {@code computation} unless one for an equal key is running, in which case waits for
   * that one and returns its result or throws its exception (the same object).
   *
   * @param key the key; not null
   * @param computation the computation; not null; may return null
   * @return the result, and whether it was shared
   * @throws IllegalStateException when the computation of {@code key} running on this thread
   *     asks for {@code key} again
   */
  public Outcome<V> run(K key, Supplier<? extends V> computation) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(computation, "computation");
    Call<V> mine = new Call<>(Thread.currentThread(), new CompletableFuture<>());
    Call<V> other = running.putIfAbsent(key, mine);
    if (other != null) {
      if (other.owner() == mine.owner()) {
        throw new IllegalStateException("One of the " + what + " asked for its own key (" + key
            + ") while computing it; it would wait for itself forever. Compute it with a"
            + " different key, or outside the computation.");
      }
      try {
        return new Outcome<>(other.outcome().join(), true);
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw e;
      }
    }
    try {
      V value = computation.get();
      mine.outcome().complete(value);
      return new Outcome<>(value, false);
    } catch (RuntimeException | Error e) {
      mine.outcome().completeExceptionally(e);
      throw e;
    } finally {
      running.remove(key, mine);
    }
  }

  /**
   * The number of computations running now.
   *
   * @return how many keys are in flight
   */
  public int inFlight() {
    return running.size();
  }
}
