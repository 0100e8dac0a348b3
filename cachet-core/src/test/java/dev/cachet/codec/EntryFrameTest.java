package dev.cachet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.codec.CorruptEntryException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class EntryFrameTest {

  static EntryFrame sample() {
    return new EntryFrame("json", "sha256:ab12", 1_700_000_000_000L, 1_700_000_060_000L,
        List.of("tenant-42", "ünïcode"), "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void roundTrip() {
    EntryFrame frame = sample();
    EntryFrame back = EntryFrame.decode(frame.encode());
    assertThat(back).isEqualTo(frame);
    assertThat(back.codecId()).isEqualTo("json");
    assertThat(back.typeFingerprint()).isEqualTo("sha256:ab12");
    assertThat(back.createdAtMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(back.expiresAtMillis()).isEqualTo(1_700_000_060_000L);
    assertThat(back.tags()).containsExactly("tenant-42", "ünïcode");
    assertThat(back.payload()).isEqualTo(frame.payload());
    assertThat(back.payloadLength()).isEqualTo(12);
  }

  @Test
  void emptyEverythingRoundTrips() {
    EntryFrame frame = new EntryFrame("b", "", 0, 0, List.of(), new byte[0]);
    byte[] bytes = frame.encode();
    assertThat(bytes).hasSize(4 + 1 + 1 + 1 + 2 + 8 + 8 + 2 + 4 + 4);
    assertThat(EntryFrame.decode(bytes)).isEqualTo(frame);
  }

  @Test
  void layoutMatchesTheSpecification() {
    byte[] bytes = new EntryFrame("utf8", "fp", 1, 2, List.of("t"), new byte[] {9}).encode();
    byte[] expectedWithoutCrc = {
        (byte) 0xCA, 'C', 'H', 'T', 1,
        4, 'u', 't', 'f', '8',
        0, 2, 'f', 'p',
        0, 0, 0, 0, 0, 0, 0, 1,
        0, 0, 0, 0, 0, 0, 0, 2,
        0, 1, 0, 1, 't',
        0, 0, 0, 1, 9};
    assertThat(Arrays.copyOf(bytes, bytes.length - 4)).isEqualTo(expectedWithoutCrc);
    CRC32C crc = new CRC32C();
    crc.update(expectedWithoutCrc);
    int stored = ((bytes[bytes.length - 4] & 0xFF) << 24) | ((bytes[bytes.length - 3] & 0xFF) << 16)
        | ((bytes[bytes.length - 2] & 0xFF) << 8) | (bytes[bytes.length - 1] & 0xFF);
    assertThat(stored).isEqualTo((int) crc.getValue());
  }

  @Test
  void payloadAndTagsAreCopies() {
    byte[] payload = {1, 2, 3};
    EntryFrame frame = new EntryFrame("bytes", "", 0, 0, List.of(), payload);
    payload[0] = 99;
    assertThat(frame.payload()).containsExactly(1, 2, 3);
    frame.payload()[1] = 99;
    assertThat(frame.payload()).containsExactly(1, 2, 3);
  }

  @Test
  void expiry() {
    EntryFrame never = new EntryFrame("json", "", 10, 0, List.of(), new byte[0]);
    assertThat(never.isExpired(Long.MAX_VALUE)).isFalse();
    EntryFrame timed = new EntryFrame("json", "", 10, 100, List.of(), new byte[0]);
    assertThat(timed.isExpired(99)).isFalse();
    assertThat(timed.isExpired(100)).isTrue();
  }

  @Test
  void aNewerFormatSaysToUpgrade() {
    byte[] bytes = sample().encode();
    bytes[4] = 2;
    assertThatThrownBy(() -> EntryFrame.decode(bytes))
        .isInstanceOf(CorruptEntryException.class)
        .hasMessageContaining("written by a newer Cachet (format 2)")
        .hasMessageContaining("Upgrade")
        .satisfies(e -> assertThat(((CorruptEntryException) e).reason())
            .isEqualTo(Reason.NEWER_FORMAT));
  }

  @Test
  void eachMalformationHasItsReason() {
    byte[] good = sample().encode();
    assertReason(null, Reason.TRUNCATED);
    assertReason(new byte[0], Reason.TRUNCATED);
    assertReason("{\"json\":1}".getBytes(StandardCharsets.UTF_8), Reason.BAD_MAGIC);
    assertReason(Arrays.copyOf(good, 4), Reason.TRUNCATED);
    assertReason(Arrays.copyOf(good, good.length - 1), Reason.TRUNCATED);
    assertReason(Arrays.copyOf(good, good.length + 1), Reason.LENGTH_MISMATCH);
    byte[] version0 = good.clone();
    version0[4] = 0;
    assertReason(version0, Reason.MALFORMED);
    byte[] flipped = good.clone();
    flipped[good.length - 6] ^= 1; // inside the payload
    assertReason(flipped, Reason.CHECKSUM_MISMATCH);
    byte[] hugeLength = good.clone();
    int payloadLengthAt = good.length - 4 - 12 - 4;
    hugeLength[payloadLengthAt] = 0x7F;
    assertReason(hugeLength, Reason.TRUNCATED);
    hugeLength[payloadLengthAt] = (byte) 0x80;
    assertReason(hugeLength, Reason.MALFORMED);
  }

  @Test
  void invalidFieldsAreRefusedWhenCreating() {
    assertThatThrownBy(() -> new EntryFrame("", "", 0, 0, List.of(), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EntryFrame("x".repeat(256), "", 0, 0, List.of(), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EntryFrame("json", "", 0, -1, List.of(), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EntryFrame("json", "", 0, 0, List.of("t".repeat(70_000)),
        new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verifyAcceptsWhatDecodeAccepts() {
    EntryFrame.verify(sample().encode());
    EntryFrame.verify(new EntryFrame("json", "", 0, 0, List.of(), new byte[0]).encode());
  }

  /** Both decode and verify refuse the bytes, for the same reason. */
  private static void assertReason(byte[] bytes, Reason reason) {
    assertThatThrownBy(() -> EntryFrame.decode(bytes))
        .isInstanceOf(CorruptEntryException.class)
        .satisfies(e -> assertThat(((CorruptEntryException) e).reason()).isEqualTo(reason));
    assertThatThrownBy(() -> EntryFrame.verify(bytes))
        .isInstanceOf(CorruptEntryException.class)
        .satisfies(e -> assertThat(((CorruptEntryException) e).reason()).isEqualTo(reason));
  }
}
