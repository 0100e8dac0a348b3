package dev.cachet.cli.simulate;

/**
 * A trace file that cannot be used: missing, unreadable, compressed with a codec that is corrupt
 * or not available, not in the format asked for, or holding no key. The message names the file
 * (and the line, or for binary formats the byte offset, when one place is at fault), says what
 * was expected, and is meant to be shown to the user as is.
 */
public final class TraceException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long line;

  /**
   * Creates the exception.
   *
   * @param file the trace file as the user named it
   * @param line the one-based line at fault, or 0 when the problem is not a line's (binary
   *     formats give their byte offset in the message instead)
   * @param message the full message, naming the file
   * @param cause the underlying I/O error, or null
   */
  public TraceException(String file, long line, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
    this.line = line;
  }

  /** The trace file as the user named it. */
  public String file() {
    return file;
  }

  /** The one-based line at fault, or 0 when the problem is not a single line's. */
  public long line() {
    return line;
  }
}
