package dev.cachet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Every frame survives a round trip; no damaged frame is ever accepted. */
class EntryFrameProperties {

  @Provide
  Arbitrary<EntryFrame> frames() {
    Arbitrary<String> ids = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12);
    Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(40)
        .filter(s -> s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
    Arbitrary<List<String>> tags = text.list().ofMaxSize(4);
    Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    Arbitrary<Long> created = Arbitraries.longs();
    Arbitrary<Long> expires = Arbitraries.oneOf(Arbitraries.just(0L),
        Arbitraries.longs().between(1, Long.MAX_VALUE));
    return Combinators.combine(ids, text, created, expires, tags, payloads)
        .as(EntryFrame::new);
  }

  @Property(tries = 300)
  void roundTrip(@ForAll("frames") EntryFrame frame) {
    assertThat(EntryFrame.decode(frame.encode())).isEqualTo(frame);
  }

  @Property(tries = 300)
  void flippingAnyByteIsDetected(@ForAll("frames") EntryFrame frame,
      @ForAll @IntRange(min = 0, max = 100_000) int position,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] bytes = frame.encode();
    int at = position % bytes.length;
    bytes[at] ^= (byte) mask;
    assertThatThrownBy(() -> EntryFrame.decode(bytes)).isInstanceOf(CorruptEntryException.class);
  }

  @Property(tries = 50)
  void flippingEachByteInTurnIsDetected(@ForAll("frames") EntryFrame frame) {
    byte[] good = frame.encode();
    for (int at = 0; at < good.length; at++) {
      byte[] bytes = good.clone();
      bytes[at] ^= (byte) 0xFF;
      assertThatThrownBy(() -> EntryFrame.decode(bytes))
          .as("byte %d of %d", at, good.length)
          .isInstanceOf(CorruptEntryException.class);
    }
  }

  @Property(tries = 50)
  void everyTruncationIsDetected(@ForAll("frames") EntryFrame frame) {
    byte[] good = frame.encode();
    for (int length = 0; length < good.length; length++) {
      byte[] bytes = Arrays.copyOf(good, length);
      assertThatThrownBy(() -> EntryFrame.decode(bytes))
          .as("truncated to %d of %d", length, good.length)
          .isInstanceOf(CorruptEntryException.class);
    }
  }

  @Property(tries = 200)
  void arbitraryBytesNeverDecodeExceptByChance(@ForAll byte[] noise) {
    // random bytes are almost never a frame; whatever happens, nothing but the documented
    // exception escapes
    try {
      EntryFrame.decode(noise);
    } catch (CorruptEntryException expected) {
      return;
    }
    throw new AssertionError("random bytes decoded as a frame: " + Arrays.toString(noise));
  }
}
