package dev.cachet.codec;

import java.lang.reflect.Type;

/**
 * Thrown when a value cannot be encoded, or stored bytes cannot be decoded into the declared
 * type.
 *
 * <p>The message names the codec, the type, the cause and what to do about it, for example:
 *
 * <pre>
 * Cannot decode a cached value of type com.example.User with codec 'json': Unrecognized field
 * "age". The type's shape changed since the value was stored (the entry counts as a miss) ...
 * </pre>
 *
 * <p>Cachet never lets it reach the caller of a memoized function: an encoding failure means
 * the result stays in memory only (with one warning), a decoding failure means a miss.
 */
public class CodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** See {@link #codecId()}. */
  private final String codecId;
  /** See {@link #typeName()}. */
  private final String typeName;

  /**
   * An exception for custom codecs to report their own failures.
   *
   * @param codecId the id of the failing codec
   * @param declaredType the type being encoded or decoded; may be null
   * @param message the complete message: what failed, why, and what to do
   * @param cause the underlying failure; may be null
   */
  public CodecException(String codecId, Type declaredType, String message, Throwable cause) {
    super(message, cause);
    this.codecId = codecId;
    this.typeName = declaredType == null ? null : declaredType.getTypeName();
  }

  /**
   * The codec that failed.
   *
   * @return its id, such as {@code "json"}
   */
  public String codecId() {
    return codecId;
  }

  /**
   * The declared type being encoded or decoded.
   *
   * @return its name with generic arguments, such as {@code java.util.List<com.example.User>},
   *     or null when unknown
   */
  public String typeName() {
    return typeName;
  }
}
