package dev.cachet.fingerprint;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of fingerprinting a function's code: either a fingerprint, or the reason there is
 * none, worded for the user (it says to give the function a version instead).
 *
 * <p>Exactly one of the two components is non-null. A result rather than an exception because
 * "cannot fingerprint" is an expected outcome for proxies, hidden classes and plain objects, and
 * the caller decides whether to log it, fail, or fall back on the user's version.
 *
 * @param value the SHA-256 hex fingerprint, or null when there is none
 * @param reason why there is no fingerprint and what to do about it, or null when there is one
 */
public record Fingerprint(String value, String reason) {

  /**
   * Checks that exactly one of {@code value} and {@code reason} is given.
   *
   * @param value the fingerprint, or null
   * @param reason the reason there is none, or null
   */
  public Fingerprint {
    if ((value == null) == (reason == null)) {
      throw new IllegalArgumentException("exactly one of value and reason must be non-null");
    }
  }

  /**
   * A known fingerprint.
   *
   * @param value the SHA-256 hex fingerprint
   * @return the result
   */
  public static Fingerprint known(String value) {
    return new Fingerprint(Objects.requireNonNull(value, "value"), null);
  }

  /**
   * No fingerprint, and why.
   *
   * @param reason the message for the user
   * @return the result
   */
  public static Fingerprint unknown(String reason) {
    return new Fingerprint(null, Objects.requireNonNull(reason, "reason"));
  }

  /**
   * Whether there is a fingerprint.
   *
   * @return true when {@link #value()} is non-null
   */
  public boolean isKnown() {
    return value != null;
  }

  /**
   * The fingerprint, if there is one.
   *
   * @return the value, or empty
   */
  public Optional<String> toOptional() {
    return Optional.ofNullable(value);
  }

  /**
   * The fingerprint, or an exception carrying the reason.
   *
   * @return the value
   * @throws IllegalArgumentException with {@link #reason()} as its message when there is none
   */
  public String orElseThrow() {
    if (value == null) {
      throw new IllegalArgumentException(reason);
    }
    return value;
  }
}
