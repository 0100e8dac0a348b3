package dev.cachet.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Strings in keys are written as standard UTF-8 at every boundary between the one-, two-,
 * three- and four-byte forms, so that a key digest computed by another implementation of
 * docs/KEY-FORMAT.md (or by another Cachet version) matches, and two different strings never
 * share bytes. Written for the mutants PIT found surviving in {@code ByteSink.writeString}
 * (docs/TESTING.md).
 */
class KeyStringUtf8Test {

  private static final List<String> BOUNDARIES = List.of(
      "\u007f", "\u0080", // last one-byte, first two-byte
      "\u07ff", "\u0800", // last two-byte, first three-byte
      "\uffff",
      "\ud800\udc00", // U+10000, first four-byte
      "\udb40\udc01", // U+E0001: the top bits of the code point are set
      "\udbff\udfff"); // U+10FFFF, the last code point

  @Test
  void everyStringIsEncodedAsItsStandardUtf8Bytes() {
    for (String s : BOUNDARIES) {
      byte[] encoded = CanonicalEncoding.encode(s);
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      assertThat(Arrays.copyOfRange(encoded, encoded.length - utf8.length, encoded.length))
          .as("the key bytes of U+%04X", s.codePointAt(0)).isEqualTo(utf8);
      assertThat(encoded).as("the varint length of U+%04X", s.codePointAt(0))
          .contains((byte) utf8.length);
    }
  }

  @Test
  void stringsAtTheBoundariesHaveDistinctDigests() {
    assertThat(BOUNDARIES.stream().map(KeyDigest::sha256Hex).distinct())
        .hasSize(BOUNDARIES.size());
  }

  @Test
  void aLongMixedStringRoundTripsThroughTheBufferGrowth() {
    String s = "a\u00e9\u4e2d\ud83d\ude00".repeat(5_000);
    byte[] encoded = CanonicalEncoding.encode(s);
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    assertThat(Arrays.copyOfRange(encoded, encoded.length - utf8.length, encoded.length))
        .isEqualTo(utf8);
  }
}
