package dev.cachet.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Byte-level details of the format that the golden vectors do not single out. */
class CanonicalEncodingTest {

  private static String hex(Object value, boolean typed) {
    return KeyDigest.hex(CanonicalEncoding.encode(value, typed));
  }

  @Test
  void unpairedSurrogatesKeepStringsDistinct() {
    // getBytes(UTF_8) would write both as "?"; the key bytes must not collide.
    assertThat(hex("\uD800", false)).isEqualTo("010403eda080");
    assertThat(hex("?", false)).isEqualTo("0104013f");
    assertThat(hex("\uDC00\uD800", false)).isEqualTo("010406edb080eda080");
  }

  @Test
  void lengthsAreVarints() {
    assertThat(hex("x".repeat(200), false)).startsWith("0104c801");
    assertThat(hex("x".repeat(127), false)).startsWith("01047f78");
  }

  @Test
  void untypedLargeNumbersAreDecimals() {
    // 1E+20: DECIMAL, scale -20 as ZigZag 39 (0x27), unscaled 1.
    assertThat(hex(new BigDecimal("1E+20"), false)).isEqualTo("0117270101");
    assertThat(hex(1e20, false)).isEqualTo("0117270101");
    // 2^64: DECIMAL, scale 0, unscaled 9 bytes.
    assertThat(hex(BigInteger.ONE.shiftLeft(64), false)).isEqualTo("011700090100000000000000"
        + "00");
    assertThat(hex(-1, false)).isEqualTo("0113ffffffffffffffff");
    assertThat(hex(new BigDecimal("-0.5"), false)).isEqualTo("01170201fb");
  }

  @Test
  void typedNumbers() {
    assertThat(hex((byte) -1, true)).isEqualTo("0110ff");
    assertThat(hex((short) 258, true)).isEqualTo("01110102");
    assertThat(hex(1.5f, true)).isEqualTo("01143fc00000");
    assertThat(hex(Float.NaN, true)).isEqualTo("01147fc00000");
    assertThat(hex(-0.0f, true)).isEqualTo("011400000000");
    assertThat(hex(BigInteger.valueOf(-129), true)).isEqualTo("011602ff7f");
  }

  @Test
  void rawLeavesEncodeLikeTheirSnapshots() {
    assertThat(CanonicalEncoding.encode(-0.0)).isEqualTo(CanonicalEncoding.encode(0.0, true));
    assertThat(CanonicalEncoding.encode(new BigDecimal("2.50")))
        .isEqualTo(CanonicalEncoding.encode(new BigDecimal("2.5"), true));
    assertThat(CanonicalEncoding.encode(null)).containsExactly(1, 0);
  }

  @Test
  void setsAreSortedByEncodedBytes() {
    Set<Object> a = new HashSet<>();
    Set<Object> b = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      a.add("s" + i);
      b.add("s" + (99 - i));
    }
    assertThat(CanonicalEncoding.encode(a, false)).isEqualTo(CanonicalEncoding.encode(b, false));
    a.add(List.of(1));
    assertThat(CanonicalEncoding.encode(a, false))
        .isEqualTo(CanonicalEncoding.encode(Set.copyOf(a), false));
    // Sorting is by unsigned bytes: TRUE (0x02) after FALSE (0x01), both before STRING (0x04).
    assertThat(hex(Set.of("a", true, false), false)).isEqualTo("0132030102040161");
  }

  @Test
  void timeTypesHaveTheirOwnCodes() {
    List<Object> values = List.of(
        Instant.EPOCH, LocalDate.of(2000, 1, 1), LocalTime.NOON, LocalDateTime.of(2000, 1, 1, 0, 0),
        OffsetTime.of(LocalTime.NOON, ZoneOffset.UTC),
        OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
        ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), Duration.ofSeconds(1),
        Period.ofDays(1), Year.of(2000), YearMonth.of(2000, 1), MonthDay.of(1, 1),
        ZoneOffset.ofHours(1), ZoneId.of("Europe/Paris"));
    for (int i = 0; i < values.size(); i++) {
      byte[] bytes = CanonicalEncoding.encode(values.get(i), false);
      assertThat(bytes[1]).isEqualTo((byte) CanonicalEncoding.TIME);
      assertThat(bytes[2]).as("%s", values.get(i)).isEqualTo((byte) (i + 1));
    }
    assertThat(hex(LocalTime.NOON, false)).isEqualTo("012103053132" + "3a3030");
  }
}
