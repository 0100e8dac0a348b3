package dev.cachet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.codec.CorruptEntryException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Frame fields the other frame tests leave out: the tag count limit, a negative expiry in a frame
 * whose checksum is right (written by a broken or hostile writer), and the value semantics of
 * {@link EntryFrame} (equal frames hash alike; the description never shows the payload).
 */
class EntryFrameFieldsTest {

  private static EntryFrame frame(byte[] payload) {
    return new EntryFrame("json", "fp", 1_000L, 2_000L, List.of("a", "b"), payload);
  }

  @Test
  void anEntryHoldsAtMost65535Tags() {
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < 65_535; i++) {
      tags.add("t" + i);
    }
    EntryFrame most = new EntryFrame("json", "", 0, 0, tags, new byte[0]);
    assertThat(EntryFrame.decode(most.encode()).tags()).hasSize(65_535).isEqualTo(tags);
    tags.add("one more");
    assertThatThrownBy(() -> new EntryFrame("json", "", 0, 0, tags, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 65535 tags");
  }

  @Test
  void aNegativeExpiryWithAValidChecksumIsMalformed() {
    byte[] bytes = new EntryFrame("json", "", 5L, 0L, List.of(), new byte[] {1}).encode();
    // magic 4, version 1, id length 1, "json" 4, fingerprint length 2, created 8: expiry at 20.
    ByteBuffer.wrap(bytes).putLong(20, -1L);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
    assertThatThrownBy(() -> EntryFrame.decode(bytes))
        .isInstanceOf(CorruptEntryException.class)
        .satisfies(e -> assertThat(((CorruptEntryException) e).reason())
            .isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("negative expiry");
    assertThatThrownBy(() -> EntryFrame.verify(bytes))
        .isInstanceOf(CorruptEntryException.class);
  }

  @Test
  void equalFramesHashAlikeAndTheDescriptionLeavesThePayloadOut() {
    EntryFrame a = frame(new byte[] {1, 2, 3});
    EntryFrame b = frame(new byte[] {1, 2, 3});
    assertThat(a).isEqualTo(b).isNotEqualTo("a frame").isNotEqualTo(null);
    assertThat(a.equals(a)).as("a frame equals itself").isTrue();
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
    assertThat(a.hashCode()).isNotEqualTo(frame(new byte[] {1, 2, 4}).hashCode());
    assertThat(a.hashCode()).isNotEqualTo(
        new EntryFrame("json", "fp", 1_000L, 2_001L, List.of("a", "b"), new byte[] {1, 2, 3})
            .hashCode());
    assertThat(a.toString()).isEqualTo("EntryFrame[codec=json, type=fp, created=1000, "
        + "expires=2000, tags=[a, b], payload=3 bytes]");
  }
}
