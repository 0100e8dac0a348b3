package dev.cachet.cli;

/**
 * A problem the user can fix (a missing file, a bad trace line), as opposed to a bug. The root
 * command prints its message alone, without a stack trace, and exits with
 * {@link picocli.CommandLine.ExitCode#USAGE}.
 */
public final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param message what went wrong and, where possible, how to fix it; shown as is
   * @param cause the underlying exception, kept for debugging, or null
   */
  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
