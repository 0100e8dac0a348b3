package dev.cachet.memo;

/**
 * Rethrows any throwable unchanged without declaring it. Memoization must hand the caller
 * exactly what the wrapped code threw (checked exceptions of a {@code Callable} or of an
 * interface method included), and wrapping would change the exception users catch.
 */
final class Sneaky {
  private Sneaky() {
  }

  /** Throws {@code t}; declared to return so callers can write {@code throw Sneaky.rethrow(t)}. */
  static RuntimeException rethrow(Throwable t) {
    throw Sneaky.<RuntimeException>cast(t);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T cast(Throwable t) throws T {
    throw (T) t;
  }
}
