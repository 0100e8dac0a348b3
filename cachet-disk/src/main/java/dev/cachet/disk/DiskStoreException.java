package dev.cachet.disk;

/**
 * Thrown when a {@link DiskStore} cannot be opened: the path is unusable, the database was
 * written by a newer Cachet, or SQLite refused. Operations on an open store never throw it;
 * they count a failure and behave as a miss.
 */
public class DiskStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the complete message, naming the path and the reason
   */
  public DiskStoreException(String message) {
    super(message);
  }

  /**
   * Creates the exception.
   *
   * @param message the complete message, naming the path and the reason
   * @param cause the underlying failure
   */
  public DiskStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
