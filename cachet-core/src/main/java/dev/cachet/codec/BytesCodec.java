package dev.cachet.codec;

import java.lang.reflect.Type;

/**
 * The fast path for {@code byte[]} values: the bytes as they are.
 *
 * <p>Both directions copy, because the caller keeps the array it returned (and may change it
 * later), and the stored entry must not change with it. It cannot represent {@code null};
 * {@link CodecRegistry#codecFor(Object, Type)} sends null arrays to JSON instead.
 */
public final class BytesCodec implements Codec {
  /** The id stored in entry headers. */
  public static final String ID = "bytes";

  /** The shared instance; the codec has no state. */
  static final BytesCodec INSTANCE = new BytesCodec();

  private BytesCodec() {}

  /**
   * The codec's instance.
   *
   * @return the shared, thread-safe instance
   */
  public static BytesCodec instance() {
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
   * Copies a byte array.
   *
   * @param value a {@code byte[]}
   * @param declaredType the declared type, normally {@code byte[].class}
   * @return a copy of the array
   * @throws CodecException if the value is null or not a {@code byte[]}
   */
  @Override
  public byte[] encode(Object value, Type declaredType) {
    if (!(value instanceof byte[])) {
      throw new CodecException(ID, declaredType, "The bytes codec encodes only non-null byte[] "
          + "values, got " + (value == null ? "null" : value.getClass().getName())
          + ". Use the json codec for this value.", null);
    }
    return ((byte[]) value).clone();
  }

  /**
   * Copies the stored bytes.
   *
   * @param bytes the stored payload
   * @param declaredType the declared type, normally {@code byte[].class}
   * @return a copy of the bytes
   */
  @Override
  public byte[] decode(byte[] bytes, Type declaredType) {
    return bytes.clone();
  }

  /**
   * Describes the codec.
   *
   * @return {@code "BytesCodec"}
   */
  @Override
  public String toString() {
    return "BytesCodec";
  }
}
