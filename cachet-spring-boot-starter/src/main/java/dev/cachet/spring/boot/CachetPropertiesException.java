package dev.cachet.spring.boot;

/**
 * A {@code cachet.*} property has a value Cachet cannot use. The message names the property,
 * the value, what is wrong with it and what to write instead.
 */
public final class CachetPropertiesException extends IllegalArgumentException {
  private final String property;

  /**
   * An error about one property.
   *
   * @param property the full property name, such as {@code cachet.caches.books.maximum-size}
   * @param message what is wrong and what to do, without the property name
   * @param cause the error Cachet reported, or null
   */
  public CachetPropertiesException(String property, String message, Throwable cause) {
    super(property + ": " + message, cause);
    this.property = property;
  }

  /** The full name of the property at fault. */
  public String property() {
    return property;
  }
}
