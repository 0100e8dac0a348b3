package dev.cachet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CodecRegistryTest {

  /** A custom codec, as a user would write one. */
  static class Reversed implements Codec {
    @Override
    public String id() {
      return "reversed";
    }

    @Override
    public byte[] encode(Object value, Type declaredType) {
      return new StringBuilder((String) value).reverse().toString()
          .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Object decode(byte[] bytes, Type declaredType) {
      return new StringBuilder(new String(bytes, StandardCharsets.UTF_8)).reverse().toString();
    }
  }

  record Item(String name) {}

  @Test
  void fastPathsForExactlyStringAndByteArray() {
    assertThat(Codecs.forType(String.class).id()).isEqualTo("utf8");
    assertThat(Codecs.forType(byte[].class).id()).isEqualTo("bytes");
    assertThat(Codecs.forType(Item.class).id()).isEqualTo("json");
    assertThat(Codecs.forType(CharSequence.class).id()).isEqualTo("json");
    assertThat(Codecs.forType(new TypeRef<List<String>>() {}.type()).id()).isEqualTo("json");
    assertThat(Codecs.forType(Byte[].class).id()).isEqualTo("json");
  }

  @Test
  void stringsRoundTripExactly() {
    Codec utf8 = Codecs.forType(String.class);
    for (String s : List.of("", "plain", "héllo wörld", "日本語", "emoji 🎉\u0000tab\t",
        "\"quoted\" \\ back")) {
      byte[] bytes = utf8.encode(s, String.class);
      assertThat(bytes).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
      assertThat(utf8.decode(bytes, String.class)).isEqualTo(s);
    }
  }

  @Test
  void stringsThatUtf8CannotHoldAreRefusedNotAltered() {
    Codec utf8 = Codecs.utf8();
    assertThatThrownBy(() -> utf8.encode("bad \uD800 surrogate", String.class))
        .isInstanceOf(CodecException.class).hasMessageContaining("surrogate");
    assertThatThrownBy(() -> utf8.decode(new byte[] {(byte) 0xC3, 0x28}, String.class))
        .isInstanceOf(CodecException.class).hasMessageContaining("UTF-8");
  }

  @Test
  void bytesRoundTripExactlyAndAreCopied() {
    Codec bytes = Codecs.forType(byte[].class);
    for (byte[] b : List.of(new byte[0], new byte[] {0, -1, 127, -128},
        "x".getBytes(StandardCharsets.UTF_8))) {
      byte[] encoded = bytes.encode(b, byte[].class);
      assertThat(encoded).isEqualTo(b).isNotSameAs(b);
      assertThat((byte[]) bytes.decode(encoded, byte[].class)).isEqualTo(b);
    }
  }

  @Test
  void nullsOnAFastPathGoThroughJson() {
    CodecRegistry r = CodecRegistry.defaults();
    assertThat(r.codecFor(null, String.class).id()).isEqualTo("json");
    assertThat(r.codecFor(null, byte[].class).id()).isEqualTo("json");
    assertThat(r.codecFor("x", String.class).id()).isEqualTo("utf8");
    assertThat(Codecs.json().decode(Codecs.json().encode(null, String.class), String.class))
        .isNull();
    assertThatThrownBy(() -> Codecs.utf8().encode(null, String.class))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void byIdFindsBuiltInsAndReportsUnknownIds() {
    assertThat(Codecs.byId("json")).containsSame(Codecs.json());
    assertThat(Codecs.byId("utf8")).containsSame(Codecs.utf8());
    assertThat(Codecs.byId("bytes")).containsSame(Codecs.bytes());
    assertThat(Codecs.byId("java-serialization")).isEmpty();
    assertThat(Codecs.byId(null)).isEmpty();
    assertThatThrownBy(() -> CodecRegistry.defaults().requireById("kryo"))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("'kryo'")
        .hasMessageContaining("register");
  }

  @Test
  void customCodecsAreRegisteredImmutably() {
    Reversed reversed = new Reversed();
    CodecRegistry custom = CodecRegistry.builder().register(String.class, reversed).build();
    assertThat(custom.forType(String.class)).isSameAs(reversed);
    assertThat(custom.byId("reversed")).containsSame(reversed);
    // built-ins stay readable so entries written before the change still decode
    assertThat(custom.byId("utf8")).containsSame(Codecs.utf8());
    // the defaults are untouched
    assertThat(CodecRegistry.defaults().forType(String.class)).isSameAs(Codecs.utf8());
    assertThat(CodecRegistry.defaults().byId("reversed")).isEmpty();
    // a variant of a variant keeps the earlier registrations
    CodecRegistry more = custom.toBuilder().register(Item.class, Codecs.json()).build();
    assertThat(more.forType(String.class)).isSameAs(reversed);
  }

  @Test
  void aRawClassRegistrationCoversItsParameterizations() {
    Reversed reversed = new Reversed();
    Type listOfItems = new TypeRef<List<Item>>() {}.type();
    Type listOfStrings = new TypeRef<List<String>>() {}.type();
    CodecRegistry r = CodecRegistry.builder()
        .register(List.class, reversed)
        .register(listOfStrings, Codecs.json())
        .build();
    assertThat(r.forType(listOfItems)).isSameAs(reversed);
    assertThat(r.forType(listOfStrings)).isSameAs(Codecs.json());
  }

  @Test
  void fallbackReplacesJsonForUnregisteredTypes() {
    Reversed reversed = new Reversed();
    CodecRegistry r = CodecRegistry.builder().fallback(reversed).build();
    assertThat(r.forType(Item.class)).isSameAs(reversed);
    assertThat(r.forType(String.class)).isSameAs(Codecs.utf8());
    assertThat(r.byId("json")).containsSame(Codecs.json());
  }

  @Test
  void idsAreCheckedWhenBuilding() {
    Codec clash = new Reversed() {
      @Override
      public String id() {
        return "json";
      }
    };
    assertThatThrownBy(() -> CodecRegistry.builder().register(Item.class, clash).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'json'");
    Codec bad = new Reversed() {
      @Override
      public String id() {
        return "has space";
      }
    };
    assertThatThrownBy(() -> CodecRegistry.builder().register(Item.class, bad).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tryEncodeNeverThrows() {
    CodecRegistry r = CodecRegistry.defaults();
    Optional<CodecRegistry.Encoded> ok = r.tryEncode("f", new Item("a"), Item.class);
    assertThat(ok).get().extracting(CodecRegistry.Encoded::codecId).isEqualTo("json");
    assertThat(r.tryEncode("f", "text", String.class)).get()
        .extracting(CodecRegistry.Encoded::codecId).isEqualTo("utf8");
    Object unencodable = new Object() {};
    assertThat(r.tryEncode("kb_search", unencodable, Object.class)).isEmpty();
    assertThat(r.tryEncode("kb_search", unencodable, Object.class)).isEmpty();
    assertThat(r.tryEncode("g", "bad \uD800", String.class)).isEmpty();
  }

  @Test
  void textAndBytesKeepTheirFastCodecsAndOnlyANullResultGoesToJson() {
    CodecRegistry r = CodecRegistry.defaults();
    assertThat(r.codecFor("text", String.class)).isSameAs(Utf8Codec.INSTANCE);
    assertThat(r.codecFor(new byte[] {1}, byte[].class)).isSameAs(BytesCodec.INSTANCE);
    assertThat(r.codecFor(null, String.class)).isSameAs(JsonCodec.INSTANCE);
    assertThat(r.codecFor(null, byte[].class)).isSameAs(JsonCodec.INSTANCE);

    // A codec of the user's own decides about null itself: only the fast paths defer to JSON.
    Reversed custom = new Reversed();
    CodecRegistry withCustom = CodecRegistry.builder().register(Item.class, custom).build();
    assertThat(withCustom.codecFor(null, Item.class)).isSameAs(custom);
    assertThat(withCustom.codecFor(new Item("x"), Item.class)).isSameAs(custom);
  }
}
