package dev.cachet.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for one Lettuce command on behalf of {@link RedisStore}. Lettuce times commands out
 * itself (TimeoutOptions); the bound here is a backstop so a caller can never wait much longer
 * than the command timeout, whatever happens to the connection.
 */
final class CommandWaiter {
  /** Slack over the command timeout, so Lettuce's own timeout normally fires first. */
  private static final long SLACK_NANOS = 50_000_000L;

  private final Duration commandTimeout;
  private final long timeoutNanos;

  CommandWaiter(Duration commandTimeout) {
    this.commandTimeout = commandTimeout;
    this.timeoutNanos = commandTimeout.toNanos();
  }

  /** The command's result; its failure unwrapped, or a timeout as Lettuce would report it. */
  <T> T await(RedisFuture<T> future) throws Exception {
    try {
      return ((Future<T>) future).get(timeoutNanos + SLACK_NANOS, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw e;
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new RedisCommandTimeoutException("Command timed out after "
          + commandTimeout.toMillis() + " ms");
    } catch (CancellationException e) {
      throw new RedisCommandTimeoutException("Command cancelled (timed out after "
          + commandTimeout.toMillis() + " ms)");
    }
  }
}
