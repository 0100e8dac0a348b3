package dev.cachet.codec;

import java.lang.reflect.Type;
import java.util.Optional;

/**
 * Shortcuts to the built-in codecs and the {@linkplain CodecRegistry#defaults() default
 * registry}.
 */
public final class Codecs {
  private Codecs() {}

  /**
   * The default codec for a declared type.
   *
   * @param declaredType the declared return type
   * @return {@link Utf8Codec} for exactly {@code String}, {@link BytesCodec} for exactly
   *     {@code byte[]}, otherwise {@link JsonCodec}
   */
  public static Codec forType(Type declaredType) {
    return CodecRegistry.defaults().forType(declaredType);
  }

  /**
   * A built-in codec by the id stored in an entry.
   *
   * @param id the codec id
   * @return the codec, or empty for an unknown id
   */
  public static Optional<Codec> byId(String id) {
    return CodecRegistry.defaults().byId(id);
  }

  /**
   * The JSON codec.
   *
   * @return the shared {@link JsonCodec}
   */
  public static Codec json() {
    return JsonCodec.INSTANCE;
  }

  /**
   * The UTF-8 codec for strings.
   *
   * @return the shared {@link Utf8Codec}
   */
  public static Codec utf8() {
    return Utf8Codec.INSTANCE;
  }

  /**
   * The pass-through codec for byte arrays.
   *
   * @return the shared {@link BytesCodec}
   */
  public static Codec bytes() {
    return BytesCodec.INSTANCE;
  }
}
