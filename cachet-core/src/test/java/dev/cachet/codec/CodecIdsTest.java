package dev.cachet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Type;
import org.junit.jupiter.api.Test;

/**
 * Stored entries name their codec by id, so a registry must find every codec it may have written
 * with, the fallback included, and refuse a second codec under an id already taken.
 */
class CodecIdsTest {

  /** A codec with a chosen id that stores strings as they are. */
  private static final class Named implements Codec {
    private final String id;

    Named(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public byte[] encode(Object value, Type declaredType) {
      return Codecs.utf8().encode(value, declaredType);
    }

    @Override
    public Object decode(byte[] bytes, Type declaredType) {
      return Codecs.utf8().decode(bytes, declaredType);
    }
  }

  @Test
  void aCustomFallbackIsFoundByItsId() {
    Named fallback = new Named("custom-fallback");
    CodecRegistry r = CodecRegistry.builder().fallback(fallback).build();
    assertThat(r.byId("custom-fallback")).containsSame(fallback);
    assertThat(r.requireById("custom-fallback")).isSameAs(fallback);
    assertThat(r.requireById("json")).isSameAs(Codecs.json());
  }

  @Test
  void aFallbackCannotTakeAnIdAlreadyTaken() {
    assertThatThrownBy(() -> CodecRegistry.builder().fallback(new Named("utf8")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share the id 'utf8'");
    assertThatThrownBy(() -> CodecRegistry.builder().fallback(new Named("bad id")).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tryEncodeNamesTheCodecItUsed() {
    CodecRegistry r = CodecRegistry.builder().register(Integer.class, new Named("ints")).build();
    assertThat(r.tryEncode("f", "x", String.class)).hasValueSatisfying(e ->
        assertThat(e.codecId()).isEqualTo("utf8"));
    assertThat(r.tryEncode("f", null, byte[].class)).hasValueSatisfying(e ->
        assertThat(e.codecId()).isEqualTo("json"));
    assertThat(r.tryEncode("f", 5, Integer.class)).isEmpty(); // "ints" encodes only Strings
  }
}
