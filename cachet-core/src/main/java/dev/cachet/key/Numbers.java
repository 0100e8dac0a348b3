package dev.cachet.key;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Normalization of the supported numbers ({@link Byte}, {@link Short}, {@link Integer},
 * {@link Long}, {@link Float}, {@link Double}, {@link BigInteger}, {@link BigDecimal}).
 *
 * <p>Untyped ({@code typed=false}): every number becomes the one canonical object for its exact
 * value, so numbers compare as in Python ({@code 1 == 1.0 == Decimal("1.00")}):
 * <ul>
 *   <li>integers that fit in a long: {@link Long};
 *   <li>every other finite value: a {@link BigDecimal} with trailing zeros stripped (a float or
 *       double is converted exactly, so {@code 0.1} is not {@code new BigDecimal("0.1")});
 *   <li>NaN and the infinities: {@link Double} (with one NaN).
 * </ul>
 *
 * <p>Typed: the Java type is kept, only equal-valued representations are folded: {@code -0.0}
 * becomes {@code 0.0} and a BigDecimal loses its trailing zeros ({@code 1.0} and {@code 1.00}
 * are one key). NaN needs nothing: {@link Double#equals} already treats all NaNs as one.
 */
final class Numbers {
  private static final Double POSITIVE_ZERO = 0.0;
  private static final Float POSITIVE_ZERO_F = 0.0f;
  private static final Double NAN = Double.NaN;
  private static final double TWO_63 = 0x1p63;

  private Numbers() {
  }

  /**
   * Whether {@code c} is one of the supported number classes. Subclasses of BigInteger and
   * BigDecimal count (they are copied into the plain class); other {@link Number}s do not.
   */
  static boolean isSupported(Class<?> c) {
    return c == Integer.class || c == Long.class || c == Double.class || c == Float.class
        || c == Short.class || c == Byte.class
        || BigInteger.class.isAssignableFrom(c) || BigDecimal.class.isAssignableFrom(c);
  }

  /** The snapshot of a supported number. */
  static Object normalize(Number n, boolean typed) {
    return typed ? typed(n) : untyped(n);
  }

  private static Object typed(Number n) {
    if (n instanceof Double) {
      double d = (Double) n;
      return d == 0.0 ? POSITIVE_ZERO : n;
    }
    if (n instanceof Float) {
      float f = (Float) n;
      return f == 0.0f ? POSITIVE_ZERO_F : n;
    }
    if (n instanceof BigInteger) {
      return plain((BigInteger) n);
    }
    if (n instanceof BigDecimal) {
      return canonical(plain((BigDecimal) n));
    }
    return n; // Byte, Short, Integer, Long: immutable, equals is right.
  }

  private static Object untyped(Number n) {
    if (n instanceof Long) {
      return n;
    }
    if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return n.longValue(); // boxes through Long.valueOf: small values are not allocated.
    }
    if (n instanceof Double || n instanceof Float) {
      return untypedDouble(n.doubleValue()); // float to double is exact.
    }
    if (n instanceof BigInteger) {
      BigInteger b = (BigInteger) n;
      if (b.bitLength() <= 63) {
        return b.longValue();
      }
      return new BigDecimal(plain(b)).stripTrailingZeros();
    }
    return untypedDecimal(plain((BigDecimal) n));
  }

  /** The untyped snapshot of a double value (also used for float and double arrays). */
  static Object untypedDouble(double d) {
    if (Double.isNaN(d)) {
      return NAN;
    }
    if (Double.isInfinite(d)) {
      return d;
    }
    // Range test before the cast: (long) d saturates, so 2^63 would otherwise look integral.
    if (d >= -TWO_63 && d < TWO_63 && d == Math.rint(d)) {
      return (long) d; // -0.0 lands here too and becomes 0L.
    }
    return new BigDecimal(d).stripTrailingZeros(); // exact binary value, never rounded.
  }

  private static Object untypedDecimal(BigDecimal d) {
    if (d.signum() == 0) {
      return 0L;
    }
    BigDecimal s = d.stripTrailingZeros();
    // precision - scale is the count of integer digits; the check keeps huge exponents such as
    // 1E+999999999 away from longValueExact, which would expand them.
    if (s.scale() <= 0 && s.precision() - s.scale() <= 19) {
      try {
        return s.longValueExact();
      } catch (ArithmeticException tooLarge) {
        return s;
      }
    }
    return s;
  }

  /** The one representation of a BigDecimal's value: trailing zeros stripped, zero is ZERO. */
  static BigDecimal canonical(BigDecimal d) {
    return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
  }

  // A subclass of BigInteger/BigDecimal may be mutable or override equals: copy the value out.
  private static BigInteger plain(BigInteger b) {
    return b.getClass() == BigInteger.class ? b : new BigInteger(b.toByteArray());
  }

  private static BigDecimal plain(BigDecimal d) {
    return d.getClass() == BigDecimal.class ? d
        : new BigDecimal(plain(d.unscaledValue()), d.scale());
  }
}
