package dev.cachet.redis;

import static dev.cachet.redis.RedisFailures.brief;
import static dev.cachet.redis.RedisFailures.isAvailabilityFailure;
import static dev.cachet.redis.RedisFailures.unwrap;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * Decides, for each {@link RedisStore} call, whether it may go to Redis, and what a failure
 * means: owns the {@link CircuitBreaker}, the last failure and whether the current failure
 * episode has been logged, so that Redis trouble is logged once per episode and, unless
 * strict, never reaches the caller.
 */
final class CallGuard {
  private static final System.Logger LOG = System.getLogger(RedisStore.class.getName());
  /** An episode that never opens the breaker (isolated failures) is logged at most this often. */
  private static final long RELOG_NANOS = 60_000_000_000L;

  private final RedisConnections connections;
  private final StoreCounters counters;
  private final boolean strict;
  private final Supplier<String> describe;
  private final Runnable afterSuccess;
  private final CircuitBreaker breaker;
  /**
   * Whether the current failure episode was logged: reset when the breaker closes; an episode
   * that never opens the breaker is logged again at most once a minute.
   */
  private volatile boolean episodeLogged;
  private volatile long episodeLoggedAt;
  private volatile Throwable lastFailure;

  /**
   * @param afterSuccess runs after each call Redis answered (the store replays the removals
   *     it could not make while Redis was away)
   */
  CallGuard(RedisStoreOptions options, RedisConnections connections, StoreCounters counters,
      Supplier<String> describe, Runnable afterSuccess) {
    this.connections = connections;
    this.counters = counters;
    this.strict = options.strict();
    this.describe = describe;
    this.afterSuccess = afterSuccess;
    this.breaker = new CircuitBreaker(options.failureThreshold(),
        options.openBackoff().toNanos(), options.maxOpenBackoff().toNanos(), System::nanoTime,
        new CircuitBreaker.Listener() {
          @Override
          public void opened(Throwable cause, long forMillis) {
            LOG.log(Level.WARNING, describe.get() + ": circuit breaker open for " + forMillis
                + " ms (last failure: " + brief(cause) + "); calls skip Redis: reads are "
                + "misses and writes are dropped until it answers again");
          }

          @Override
          public void closed(long openMillis) {
            episodeLogged = false;
            LOG.log(Level.INFO, describe.get() + ": Redis answers again; circuit breaker closed "
                + "after " + openMillis + " ms");
          }
        });
  }

  /** The breaker, for the connections' reconnect hook and the replay's probe. */
  CircuitBreaker breaker() {
    return breaker;
  }

  boolean isOpen() {
    return breaker.isOpen();
  }

  /**
   * The store opens although Redis cannot be reached: log it as the start of an episode and
   * open the breaker, so the first calls do not each pay the connect timeout.
   */
  void openedWithoutRedis(Throwable cause) {
    episodeLogged = true;
    episodeLoggedAt = System.nanoTime();
    lastFailure = cause;
    LOG.log(Level.WARNING, describe.get() + ": cannot connect (" + brief(cause) + "); "
        + "opening without Redis: reads are misses and writes are dropped until it can be "
        + "reached; retrying by itself");
    breaker.openNow(cause);
  }

  /** The commands to use now, or null when the breaker refuses the call (strict: throws). */
  RedisClusterAsyncCommands<byte[], byte[]> commands(String operation) {
    if (!breaker.allow()) {
      counters.skipped.increment();
      if (strict) {
        throw new RedisStoreException(describe.get() + ": " + operation + " refused: the "
            + "circuit breaker is open after repeated failures (last: " + brief(lastFailure)
            + ")", lastFailure);
      }
      return null;
    }
    RedisClusterAsyncCommands<byte[], byte[]> cmd = connections.commands();
    if (cmd == null) {
      // Never connected (Redis was down at open): this call is the probe; connecting happens
      // on Lettuce's threads and its outcome closes or re-opens the breaker.
      counters.skipped.increment();
      connections.connectAsync().whenComplete((ok, error) -> {
        if (error == null) {
          breaker.success();
        } else {
          lastFailure = unwrap(error);
          breaker.failure(lastFailure);
        }
      });
      if (strict) {
        throw new RedisStoreException(describe.get() + ": " + operation + " refused: not "
            + "connected (last: " + brief(lastFailure) + ")", lastFailure);
      }
      return null;
    }
    return cmd;
  }

  /** Redis answered. */
  void succeeded() {
    breaker.success();
    afterSuccess.run();
  }

  /** A call failed: counted, logged once per episode, thrown only when strict. */
  void failed(String operation, Exception e) {
    Throwable cause = unwrap(e);
    counters.failures.increment();
    lastFailure = cause;
    if (isAvailabilityFailure(cause)) {
      breaker.failure(cause);
    } else {
      // Redis answered (with an error about this one command): it is available.
      breaker.success();
    }
    long now = System.nanoTime();
    if (!episodeLogged || now - episodeLoggedAt > RELOG_NANOS) {
      episodeLogged = true;
      episodeLoggedAt = now;
      LOG.log(Level.WARNING, describe.get() + ": " + operation + " failed (" + brief(cause)
          + "); treated as a miss or a dropped write, further failures are counted until "
          + "Redis answers again");
    }
    if (strict) {
      throw new RedisStoreException(describe.get() + ": " + operation + " failed: "
          + brief(cause), cause);
    }
  }

  /** A call was interrupted: a miss, and a probe it may have been is handed to another call. */
  byte[] interrupted(String operation) {
    counters.misses.increment();
    if (breaker.isOpen()) {
      breaker.probeAbandoned(); // this call may have been the probe; let another one try
    }
    if (strict) {
      throw new RedisStoreException(describe.get() + ": " + operation + " interrupted", null);
    }
    return null;
  }

  /**
   * The replay of pending removals failed: counted, and the breaker told, but never logged
   * or thrown (the reads it covers stay misses, and the next success retries it).
   */
  void replayFailed(Exception e) {
    Throwable cause = unwrap(e);
    counters.failures.increment();
    lastFailure = cause;
    if (isAvailabilityFailure(cause)) {
      breaker.failure(cause);
    } else {
      breaker.probeAbandoned();
    }
  }

  @Override
  public String toString() {
    return breaker.toString();
  }
}
