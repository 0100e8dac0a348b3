package dev.cachet.redis;

import io.lettuce.core.RedisCommandExecutionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * How {@link RedisStore} tells Redis failures apart and words them for its logs. The difference
 * between "Redis is unavailable" and "Redis refused this one command" decides whether the
 * circuit breaker counts a failure, so it lives in one place.
 */
final class RedisFailures {
  private RedisFailures() {
  }

  /** Failures that say Redis is unavailable (not a bad reply to one command). */
  static boolean isAvailabilityFailure(Throwable cause) {
    if (cause instanceof RedisCommandExecutionException) {
      String m = String.valueOf(cause.getMessage());
      return m.startsWith("LOADING") || m.startsWith("BUSY") || m.startsWith("MASTERDOWN")
          || m.startsWith("CLUSTERDOWN") || m.startsWith("TRYAGAIN") || m.startsWith("READONLY")
          || m.startsWith("NOAUTH") || m.startsWith("WRONGPASS") || m.startsWith("OOM");
    }
    return true;
  }

  /** Whether the server refused the credentials: retrying cannot fix that. */
  static boolean isAuthFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("WRONGPASS") || m.contains("NOAUTH") || m.contains("invalid password")
          || m.contains("invalid username-password")) {
        return true;
      }
    }
    return false;
  }

  /** The failure inside the wrappers that futures add. */
  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException || t instanceof CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** One line for a log: the failure and its root cause, without a stack trace. */
  static String brief(Throwable t) {
    if (t == null) {
      return "unknown";
    }
    Throwable root = t;
    String message = t.getMessage();
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String rootText = root == t ? "" : "; cause: " + root.getClass().getSimpleName() + ": "
        + root.getMessage();
    return t.getClass().getSimpleName() + ": " + message + rootText;
  }
}
