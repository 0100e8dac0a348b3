package dev.cachet.redis;

/**
 * A Redis failure surfaced to the caller: thrown only in strict mode
 * ({@link RedisStoreOptions.Builder#strict(boolean)}), or by {@link RedisStore#open} when the
 * server refuses the credentials. Otherwise Redis trouble is a miss or a dropped write.
 */
public final class RedisStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, where, and what to check
   * @param cause the Lettuce or I/O exception, possibly null
   */
  public RedisStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
