package dev.cachet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The three built-in codecs as a custom registry or a log line sees them. */
class BuiltInCodecsTest {

  @Test
  void eachBuiltInIsOneSharedInstance() {
    assertThat(Utf8Codec.instance()).isSameAs(Codecs.utf8());
    assertThat(BytesCodec.instance()).isSameAs(Codecs.bytes());
    assertThat(JsonCodec.instance()).isSameAs(Codecs.json());
    assertThat(Codecs.forType(String.class)).isSameAs(Codecs.utf8());
    assertThat(Utf8Codec.instance().toString()).isEqualTo("Utf8Codec");
    assertThat(BytesCodec.instance().toString()).isEqualTo("BytesCodec");
  }

  @Test
  void theBytesCodecTakesOnlyByteArrays() {
    assertThatThrownBy(() -> Codecs.bytes().encode(null, byte[].class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("got null");
    assertThatThrownBy(() -> Codecs.bytes().encode(List.of(1), byte[].class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("got java.util.ImmutableCollections");
    assertThatThrownBy(() -> Codecs.utf8().encode(7, String.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("got java.lang.Integer");
  }

  @Test
  void aCodecFailureNamesItsCodecAndType() {
    CodecException e = new CodecException("json", List.class, "no", null);
    assertThat(e.codecId()).isEqualTo("json");
    assertThat(e.typeName()).isEqualTo("java.util.List");
    assertThat(new CodecException("json", null, "no", null).typeName()).isNull();
  }
}
