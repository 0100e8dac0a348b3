package dev.cachet.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Which number classes are keys by value: the eight of the JDK (and subclasses of BigInteger and
 * BigDecimal, copied into the plain class), never a mutable Number such as AtomicInteger.
 * Checked on {@code Numbers.isSupported} itself, because its answer is cached per class by
 * {@code TypeInfo} and a key test only sees the first answer for each class.
 */
class SupportedNumbersTest {

  static final class Big extends BigInteger {
    Big(String value) {
      super(value);
    }
  }

  static final class Dec extends BigDecimal {
    Dec(String value) {
      super(value);
    }
  }

  @Test
  void theJdkNumbersAndSubclassesOfTheBigOnesAreSupported() {
    for (Class<?> c : new Class<?>[] {Integer.class, Long.class, Double.class, Float.class,
        Short.class, Byte.class, BigInteger.class, BigDecimal.class, Big.class, Dec.class}) {
      assertThat(Numbers.isSupported(c)).as(c.getName()).isTrue();
    }
  }

  @Test
  void mutableAndOtherNumbersAreNot() {
    for (Class<?> c : new Class<?>[] {AtomicInteger.class, LongAdder.class, Number.class,
        String.class, Boolean.class, Character.class}) {
      assertThat(Numbers.isSupported(c)).as(c.getName()).isFalse();
    }
  }

  @Test
  void aBigIntegerSubclassIsKeyedAsItsValue() {
    assertThat(KeySnapshot.of(new Big("12345678901234567890123"), true))
        .isEqualTo(KeySnapshot.of(new BigInteger("12345678901234567890123"), true))
        .isExactlyInstanceOf(BigInteger.class);
    assertThat(KeySnapshot.of(new Dec("1.50"), true)).isEqualTo(new BigDecimal("1.5"))
        .isExactlyInstanceOf(BigDecimal.class);
  }

  @Test
  void untypedTwoToThe63IsOneKeyWhetherDecimalIntegerOrDouble() {
    // One past Long.MAX_VALUE: nineteen digits, so it passes the digit count and only
    // longValueExact refuses it; it must stay the exact decimal, not be lost or rounded.
    BigDecimal twoTo63 = new BigDecimal("9223372036854775808");

    assertThat(KeySnapshot.of(new BigDecimal("9223372036854775808.000"), false))
        .isEqualTo(twoTo63).isExactlyInstanceOf(BigDecimal.class);
    assertThat(KeySnapshot.of(new BigInteger("9223372036854775808"), false)).isEqualTo(twoTo63);
    assertThat(KeySnapshot.of(0x1p63, false)).isEqualTo(twoTo63);
    assertThat(KeySnapshot.of(new BigDecimal("9223372036854775807"), false))
        .isEqualTo(Long.MAX_VALUE);
  }
}
