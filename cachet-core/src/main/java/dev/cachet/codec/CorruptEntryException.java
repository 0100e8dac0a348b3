package dev.cachet.codec;

/**
 * Thrown by {@link EntryFrame#decode} when stored bytes are not a valid entry: not a Cachet
 * frame at all, written by a newer Cachet, cut short, padded, or damaged.
 *
 * <p>A store treats it as a miss: it removes the entry and counts it; the caller never sees a
 * wrong value. {@link #reason()} lets the store count causes apart.
 */
public class CorruptEntryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a frame was rejected. */
  public enum Reason {
    /** The bytes do not start with the Cachet frame magic: not a Cachet entry. */
    BAD_MAGIC,
    /** The frame's format version is newer than this Cachet understands. */
    NEWER_FORMAT,
    /** The frame ends before its declared contents do. */
    TRUNCATED,
    /** The frame has bytes beyond its declared contents. */
    LENGTH_MISMATCH,
    /** The CRC32C of header and payload does not match the stored one. */
    CHECKSUM_MISMATCH,
    /** A field holds an impossible value (a bad version, invalid UTF-8, a negative time). */
    MALFORMED
  }

  /** See {@link #reason()}. */
  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason why the frame was rejected
   * @param message the complete message
   */
  public CorruptEntryException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /**
   * Why the frame was rejected.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
