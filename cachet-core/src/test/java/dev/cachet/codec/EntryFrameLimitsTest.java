package dev.cachet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.codec.CorruptEntryException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * The exact limits of the entry frame (docs/ENTRY-FORMAT.md): the largest field each length
 * prefix can hold is written and read back, one byte more is refused when the frame is built,
 * and a frame that is cut anywhere or declares impossible fields is reported as damaged, never
 * read as a different entry. Written to kill the mutants PIT found surviving in
 * {@link EntryFrame} (docs/TESTING.md).
 */
class EntryFrameLimitsTest {

  private static final byte[] PAYLOAD = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);

  private static EntryFrame frame(String codecId, String fingerprint, List<String> tags) {
    return new EntryFrame(codecId, fingerprint, 1_000L, 2_000L, tags, PAYLOAD);
  }

  @Test
  void aCodecIdOf255BytesRoundTripsAnd256AreRefused() {
    String longest = "c".repeat(255);
    assertThat(EntryFrame.decode(frame(longest, "t", List.of()).encode()).codecId())
        .isEqualTo(longest);
    assertThatThrownBy(() -> frame("c".repeat(256), "t", List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 255 bytes");
    assertThatThrownBy(() -> frame("", "t", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFingerprintOf65535BytesRoundTripsAndOneMoreIsRefused() {
    String longest = "f".repeat(0xFFFF);
    assertThat(EntryFrame.decode(frame("json", longest, List.of()).encode()).typeFingerprint())
        .isEqualTo(longest);
    assertThatThrownBy(() -> frame("json", "f".repeat(0x10000), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTagOf65535BytesRoundTripsAndOneMoreIsRefused() {
    String longest = "g".repeat(0xFFFF);
    assertThat(EntryFrame.decode(frame("json", "t", List.of(longest, "b")).encode()).tags())
        .containsExactly(longest, "b");
    assertThatThrownBy(() -> frame("json", "t", List.of("g".repeat(0x10000))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Lengths above 255 use both bytes of a u16 prefix: a wrong shift would misread them. */
  @Test
  void twoByteLengthsAreReadBigEndian() {
    String fingerprint = "p".repeat(300);
    String tag = "q".repeat(513);
    EntryFrame back = EntryFrame.decode(frame("json", fingerprint, List.of(tag)).encode());
    assertThat(back.typeFingerprint()).isEqualTo(fingerprint);
    assertThat(back.tags()).containsExactly(tag);
    assertThat(back.payload()).isEqualTo(PAYLOAD);
  }

  @Test
  void zeroMeansNeverExpiresAndANegativeExpiryIsRefused() {
    EntryFrame never = new EntryFrame("json", "t", 5L, 0L, List.of(), PAYLOAD);
    assertThat(EntryFrame.decode(never.encode()).expiresAtMillis()).isZero();
    assertThatThrownBy(() -> new EntryFrame("json", "t", 5L, -1L, List.of(), PAYLOAD))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Every proper prefix of a frame is a cut frame: a damage report, not an index error. */
  @Test
  void everyPrefixOfAFrameIsReportedAsDamaged() {
    byte[] full = frame("json", "type", List.of("tag-a", "tag-b")).encode();
    for (int length = 0; length < full.length; length++) {
      byte[] cut = Arrays.copyOf(full, length);
      assertThatThrownBy(() -> EntryFrame.decode(cut)).as("a frame cut to %d bytes", length)
          .isInstanceOf(CorruptEntryException.class);
    }
  }

  /** A frame with a valid checksum but an empty codec id was not written by Cachet. */
  @Test
  void aChecksummedFrameWithAnEmptyCodecIdIsMalformed() {
    assertThatThrownBy(() -> EntryFrame.decode(handMade(new byte[0], 1)))
        .isInstanceOf(CorruptEntryException.class)
        .extracting(e -> ((CorruptEntryException) e).reason()).isEqualTo(Reason.MALFORMED);
  }

  /** Format version 0 never existed; it is a damaged frame, not an older one to read. */
  @Test
  void formatVersionZeroIsMalformed() {
    assertThatThrownBy(() -> EntryFrame.decode(handMade("json".getBytes(StandardCharsets.UTF_8),
        0)))
        .isInstanceOf(CorruptEntryException.class)
        .extracting(e -> ((CorruptEntryException) e).reason()).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void framesDifferingInAnyOneFieldAreNotEqual() {
    EntryFrame base = new EntryFrame("json", "t", 1L, 2L, List.of("a"), PAYLOAD);
    EntryFrame same = new EntryFrame("json", "t", 1L, 2L, List.of("a"), PAYLOAD.clone());
    assertThat(base).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(base).isNotEqualTo(new EntryFrame("utf8", "t", 1L, 2L, List.of("a"), PAYLOAD))
        .isNotEqualTo(new EntryFrame("json", "u", 1L, 2L, List.of("a"), PAYLOAD))
        .isNotEqualTo(new EntryFrame("json", "t", 9L, 2L, List.of("a"), PAYLOAD))
        .isNotEqualTo(new EntryFrame("json", "t", 1L, 9L, List.of("a"), PAYLOAD))
        .isNotEqualTo(new EntryFrame("json", "t", 1L, 2L, List.of("b"), PAYLOAD))
        .isNotEqualTo(new EntryFrame("json", "t", 1L, 2L, List.of("a"), new byte[] {1}))
        .isNotEqualTo("not a frame");
  }

  /**
   * A frame laid out by hand as docs/ENTRY-FORMAT.md describes it, with a correct CRC32C, so
   * that only the field under test is wrong.
   */
  private static byte[] handMade(byte[] codecId, int version) {
    byte[] fingerprint = "t".getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(4 + 1 + 1 + codecId.length + 2 + fingerprint.length
        + 8 + 8 + 2 + 4 + PAYLOAD.length + 4);
    out.put(new byte[] {(byte) 0xCA, 'C', 'H', 'T'}).put((byte) version);
    out.put((byte) codecId.length).put(codecId);
    out.putShort((short) fingerprint.length).put(fingerprint);
    out.putLong(1L).putLong(0L).putShort((short) 0);
    out.putInt(PAYLOAD.length).put(PAYLOAD);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.array();
  }
}
