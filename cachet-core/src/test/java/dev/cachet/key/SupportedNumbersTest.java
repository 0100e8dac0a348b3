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
}
