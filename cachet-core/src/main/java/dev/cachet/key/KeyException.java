package dev.cachet.key;

/**
 * Thrown when Cachet cannot build a stable cache key for an argument: its type has no stable
 * value (a connection, a lock, a stream, a lambda...), or the value is too deep or too large to
 * snapshot.
 *
 * <p>The message names the function, the parameter, the path inside the argument, the type and
 * the ways out, for example:
 *
 * <pre>
 * Cannot build a cache key for parameter 'req' of kb_search (at req.items[2].lock): type
 * java.util.concurrent.locks.ReentrantLock has no stable value. Ignore it with .ignore("req"),
 * give a key function with .keyBy(...), or implement dev.cachet.key.KeyPart.
 * </pre>
 *
 * <p>It extends {@link IllegalArgumentException} because the argument, not Cachet's state, is
 * at fault: retrying with the same argument fails the same way.
 */
public class KeyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** See {@link #functionName()}. */
  private final String functionName;
  /** See {@link #parameterName()}. */
  private final String parameterName;
  /** See {@link #path()}. */
  private final String path;
  /** See {@link #typeName()}. */
  private final String typeName;

  /**
   * An exception with only a message, for callers outside this package (key functions given
   * with {@code .keyBy(...)}, for instance) that report their own key problems.
   *
   * @param message the complete message
   */
  public KeyException(String message) {
    this(message, null, null, null, null);
  }

  /** The complete form, used by the snapshot code so callers can inspect what failed. */
  KeyException(
      String message, String functionName, String parameterName, String path, String typeName) {
    super(message);
    this.functionName = functionName;
    this.parameterName = parameterName;
    this.path = path;
    this.typeName = typeName;
  }

  /**
   * The function whose key failed.
   *
   * @return the function name, or null when the key was built outside a function (for example
   *     through {@link KeySnapshot#of(Object, boolean)})
   */
  public String functionName() {
    return functionName;
  }

  /**
   * The parameter whose value failed.
   *
   * @return the parameter name as given to {@link KeyMaker#of}, or null when unknown
   */
  public String parameterName() {
    return parameterName;
  }

  /**
   * Where inside the argument the failure happened, such as {@code req.items[2].lock}; just the
   * parameter name for the argument itself.
   *
   * @return the path, or null when unknown
   */
  public String path() {
    return path;
  }

  /**
   * The binary name of the type that has no stable value.
   *
   * @return the type name, or null when the failure is not about a type (a depth or size limit)
   */
  public String typeName() {
    return typeName;
  }
}
