package dev.cachet.codec;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The fast path for {@code String} values: the raw UTF-8 bytes, with no JSON quoting or
 * escaping, so a large text (an LLM answer, a rendered page) costs one copy.
 *
 * <p>It is strict in both directions: a string with an unpaired surrogate (which UTF-8 cannot
 * represent) fails to encode instead of being silently altered, and malformed bytes fail to
 * decode. It cannot represent {@code null}; {@link CodecRegistry#codecFor(Object, Type)} sends
 * null strings to JSON instead.
 */
public final class Utf8Codec implements Codec {
  /** The id stored in entry headers. */
  public static final String ID = "utf8";

  /** The shared instance; the codec has no state. */
  static final Utf8Codec INSTANCE = new Utf8Codec();

  private Utf8Codec() {}

  /**
   * The codec's instance.
   *
   * @return the shared, thread-safe instance
   */
  public static Utf8Codec instance() {
    return INSTANCE;
  }

  /**
   * {@inheritDoc}
   *
   * @return {@value #ID}
   */
  @Override
  public String id() {
    return ID;
  }

  /**
   * Encodes a string as UTF-8.
   *
   * @param value a {@code String}
   * @param declaredType the declared type, normally {@code String.class}
   * @return the UTF-8 bytes
   * @throws CodecException if the value is null, not a String, or has an unpaired surrogate
   */
  @Override
  public byte[] encode(Object value, Type declaredType) {
    if (!(value instanceof String)) {
      throw new CodecException(ID, declaredType, "The utf8 codec encodes only non-null Strings, "
          + "got " + (value == null ? "null" : value.getClass().getName())
          + ". Use the json codec for this value.", null);
    }
    String s = (String) value;
    try {
      // A strict encoder, because String.getBytes would replace an unpaired surrogate with '?'
      // and the cache would then return a different string than the function did.
      ByteBuffer out = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(s));
      byte[] bytes = new byte[out.remaining()];
      out.get(bytes);
      return bytes;
    } catch (CharacterCodingException e) {
      throw new CodecException(ID, declaredType, "Cannot encode a String as UTF-8: it contains "
          + "an unpaired surrogate (" + e + "). The result is still returned and kept in memory, but not stored below it.", e);
    }
  }

  /**
   * Decodes UTF-8 bytes into a string.
   *
   * @param bytes UTF-8 bytes
   * @param declaredType the declared type, normally {@code String.class}
   * @return the string
   * @throws CodecException if the bytes are not well-formed UTF-8
   */
  @Override
  public String decode(byte[] bytes, Type declaredType) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CodecException(ID, declaredType, "Cannot decode a cached String: the stored "
          + "bytes are not valid UTF-8 (" + e + "). The entry is treated as a miss.", e);
    }
  }

  /**
   * Describes the codec.
   *
   * @return {@code "Utf8Codec"}
   */
  @Override
  public String toString() {
    return "Utf8Codec";
  }
}
