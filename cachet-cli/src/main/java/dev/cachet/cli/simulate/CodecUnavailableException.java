package dev.cachet.cli.simulate;

/**
 * A compressed trace whose codec cannot run here: its library is not on the class path, or
 * (zstd) its native code does not load on this platform. Unchecked, as it reports a broken
 * installation rather than a bad file; {@link TraceReader} turns it into a
 * {@link TraceException} that names the file.
 */
public final class CodecUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Compression compression;

  /**
   * Creates the exception.
   *
   * @param compression the compression that cannot be read
   * @param library the library that reads it, as Maven coordinates
   * @param cause the linkage error met
   */
  public CodecUnavailableException(Compression compression, String library, Throwable cause) {
    super("the " + compression.displayName() + " codec (" + library + ") is not available: "
        + cause, cause);
    this.compression = compression;
  }

  /** The compression that cannot be read. */
  public Compression compression() {
    return compression;
  }
}
