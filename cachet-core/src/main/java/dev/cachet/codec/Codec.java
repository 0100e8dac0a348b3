package dev.cachet.codec;

import java.lang.reflect.Type;

/**
 * Turns a cached value into bytes for the tiers below memory (disk, Redis) and back.
 *
 * <p>Decoding is driven by the <em>declared</em> type of the memoized function's return value,
 * never by anything read from the bytes, so a stored entry can only ever produce an instance of
 * the type the caller asked for. Implementations must be thread-safe and stateless with respect
 * to individual calls: one instance serves every function of every cache.
 *
 * <p>Built-in codecs are {@link JsonCodec} ({@code "json"}, the default), {@link Utf8Codec}
 * ({@code "utf8"}, for {@code String}) and {@link BytesCodec} ({@code "bytes"}, for
 * {@code byte[]}). Register your own with {@link CodecRegistry.Builder#register}.
 */
public interface Codec {

  /**
   * The short, stable identifier written into the header of every stored entry, so that the
   * entry is decoded by the same codec that wrote it, even after the registry changes.
   *
   * <p>It must never change once entries exist: a different id makes old entries unreadable
   * (they become misses). Ids use only ASCII letters, digits and {@code . _ : -}, at most 64
   * characters.
   *
   * @return the codec's id, such as {@code "json"}
   */
  String id();

  /**
   * Encodes a value.
   *
   * @param value the value returned by the memoized function; may be null if the codec
   *     supports it
   * @param declaredType the function's declared (possibly generic) return type
   * @return bytes that {@link #decode} turns back into an equal value; a fresh array the caller
   *     may keep
   * @throws CodecException if the value cannot be encoded; the caller then returns the value
   *     uncached
   */
  byte[] encode(Object value, Type declaredType);

  /**
   * Decodes bytes written by {@link #encode} into an instance of the declared type.
   *
   * @param bytes the stored payload; not modified
   * @param declaredType the function's declared (possibly generic) return type
   * @return the value, an instance of {@code declaredType} (boxed for primitives), or null
   * @throws CodecException if the bytes do not decode into the declared type (a changed shape,
   *     corruption); the caller then treats the entry as a miss
   */
  Object decode(byte[] bytes, Type declaredType);
}
