package dev.cachet.codec;

import dev.cachet.codec.CorruptEntryException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * One stored cache entry as the disk and Redis tiers keep it: a self-describing header (format
 * version, codec id, type fingerprint, creation and expiry times, tags) followed by the encoded
 * value and a CRC32C checksum over both. The byte layout is specified in
 * {@code docs/ENTRY-FORMAT.md}.
 *
 * <p>The header makes an entry readable without outside knowledge: the codec id says how to
 * decode the payload, the type fingerprint says whether it was written for the type the caller
 * now declares (a mismatch is a miss), and the times and tags let a store expire and
 * invalidate entries without decoding them. The checksum makes damage a miss instead of a
 * wrong value: {@link #decode} rejects every malformed frame with a
 * {@link CorruptEntryException}.
 *
 * <p>Immutable; the payload is copied in and out.
 */
public final class EntryFrame {
  /** The format version this class writes and the newest it reads. */
  public static final int FORMAT_VERSION = 1;

  /** The first four bytes of every frame: a non-ASCII byte, then "CHT". */
  private static final byte[] MAGIC = {(byte) 0xCA, 'C', 'H', 'T'};
  private static final int MAX_CODEC_ID_BYTES = 0xFF;
  private static final int MAX_U16 = 0xFFFF;
  /** Magic, version, codec id length, fingerprint length, two times, tag count, payload length. */
  private static final int FIXED_HEADER = 4 + 1 + 1 + 2 + 8 + 8 + 2 + 4;
  private static final int CHECKSUM = 4;

  private final String codecId;
  private final String typeFingerprint;
  private final long createdAtMillis;
  private final long expiresAtMillis;
  private final List<String> tags;
  private final byte[] payload;

  /**
   * Creates a frame.
   *
   * @param codecId the id of the codec that wrote the payload; 1 to 255 bytes of UTF-8
   * @param typeFingerprint the fingerprint of the declared type the payload was written for; at
   *     most 65,535 bytes of UTF-8 (may be empty)
   * @param createdAtMillis when the value was computed, in epoch milliseconds
   * @param expiresAtMillis when the entry expires, in epoch milliseconds, or 0 for never
   * @param tags the entry's invalidation tags, in order; at most 65,535, each at most 65,535
   *     bytes of UTF-8
   * @param payload the encoded value; copied
   * @throws IllegalArgumentException if a field is out of range
   * @throws NullPointerException if an argument or a tag is null
   */
  public EntryFrame(String codecId, String typeFingerprint, long createdAtMillis,
      long expiresAtMillis, List<String> tags, byte[] payload) {
    this.codecId = Objects.requireNonNull(codecId, "codecId");
    this.typeFingerprint = Objects.requireNonNull(typeFingerprint, "typeFingerprint");
    this.tags = List.copyOf(tags);
    this.payload = payload.clone();
    this.createdAtMillis = createdAtMillis;
    this.expiresAtMillis = expiresAtMillis;
    int idBytes = utf8Length(codecId);
    if (idBytes == 0 || idBytes > MAX_CODEC_ID_BYTES) {
      throw new IllegalArgumentException("A codec id takes 1 to 255 bytes of UTF-8, got "
          + idBytes + ": '" + codecId + "'");
    }
    if (utf8Length(typeFingerprint) > MAX_U16) {
      throw new IllegalArgumentException("A type fingerprint takes at most 65535 bytes of UTF-8");
    }
    if (expiresAtMillis < 0) {
      throw new IllegalArgumentException("expiresAtMillis is an epoch time in milliseconds or 0 "
          + "for never, got " + expiresAtMillis);
    }
    if (this.tags.size() > MAX_U16) {
      throw new IllegalArgumentException("An entry has at most 65535 tags, got "
          + this.tags.size());
    }
    for (String tag : this.tags) {
      if (utf8Length(tag) > MAX_U16) {
        throw new IllegalArgumentException("A tag takes at most 65535 bytes of UTF-8: "
            + tag.substring(0, 40) + "...");
      }
    }
  }

  /**
   * The codec that wrote the payload.
   *
   * @return its id, for {@link CodecRegistry#byId}
   */
  public String codecId() {
    return codecId;
  }

  /**
   * The fingerprint of the declared type the payload was written for.
   *
   * @return the fingerprint as given when the frame was created
   */
  public String typeFingerprint() {
    return typeFingerprint;
  }

  /**
   * When the value was computed.
   *
   * @return epoch milliseconds
   */
  public long createdAtMillis() {
    return createdAtMillis;
  }

  /**
   * When the entry expires.
   *
   * @return epoch milliseconds, or 0 if it never expires
   */
  public long expiresAtMillis() {
    return expiresAtMillis;
  }

  /**
   * Whether the entry has expired.
   *
   * @param nowMillis the current time in epoch milliseconds
   * @return true if the entry has an expiry time and it is not after {@code nowMillis}
   */
  public boolean isExpired(long nowMillis) {
    return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
  }

  /**
   * The entry's invalidation tags.
   *
   * @return an immutable list, in the order given
   */
  public List<String> tags() {
    return tags;
  }

  /**
   * The encoded value.
   *
   * @return a copy of the payload
   */
  public byte[] payload() {
    return payload.clone();
  }

  /**
   * The payload's size, without copying it.
   *
   * @return the number of payload bytes
   */
  public int payloadLength() {
    return payload.length;
  }

  /**
   * Writes the frame in the current format ({@value #FORMAT_VERSION}).
   *
   * @return the frame's bytes, as laid out in {@code docs/ENTRY-FORMAT.md}
   */
  public byte[] encode() {
    byte[] id = codecId.getBytes(StandardCharsets.UTF_8);
    byte[] fingerprint = typeFingerprint.getBytes(StandardCharsets.UTF_8);
    byte[][] tagBytes = new byte[tags.size()][];
    long size = FIXED_HEADER + id.length + fingerprint.length + (long) payload.length + CHECKSUM;
    for (int i = 0; i < tagBytes.length; i++) {
      tagBytes[i] = tags.get(i).getBytes(StandardCharsets.UTF_8);
      size += 2 + tagBytes[i].length;
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("The entry is too large for one frame: " + size + " bytes");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size); // big-endian
    out.put(MAGIC).put((byte) FORMAT_VERSION);
    out.put((byte) id.length).put(id);
    out.putShort((short) fingerprint.length).put(fingerprint);
    out.putLong(createdAtMillis).putLong(expiresAtMillis);
    out.putShort((short) tagBytes.length);
    for (byte[] tag : tagBytes) {
      out.putShort((short) tag.length).put(tag);
    }
    out.putInt(payload.length).put(payload);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.array();
  }

  /**
   * Reads a frame, checking everything: magic, format version, every length, the absence of
   * trailing bytes, the checksum and the fields' values.
   *
   * @param bytes the stored bytes; not modified
   * @return the frame
   * @throws CorruptEntryException if the bytes are not a complete, intact frame of a format this
   *     Cachet reads; the message says which check failed
   */
  public static EntryFrame decode(byte[] bytes) {
    return fields(bytes, layout(bytes, true));
  }

  /**
   * Reads a frame that a {@code Store} returned, and so already verified (the store contract:
   * {@code Store.get} returns only bytes that pass {@link #verify}): the structure is checked
   * as {@link #decode} does, the checksum is not computed again.
   *
   * @param bytes bytes that passed {@link #verify}; not modified
   * @return the frame
   * @throws CorruptEntryException if the bytes are not a complete frame of a format this
   *     Cachet reads (a store that broke its contract); damage inside the payload is not
   *     detected here
   */
  public static EntryFrame decodeVerified(byte[] bytes) {
    return fields(bytes, layout(bytes, false));
  }

  private static EntryFrame fields(byte[] bytes, Layout l) {
    List<String> tags = new ArrayList<>(l.tagAt.length);
    for (int i = 0; i < l.tagAt.length; i++) {
      tags.add(utf8(bytes, l.tagAt[i], l.tagLength[i], "tag"));
    }
    return new EntryFrame(utf8(bytes, l.idAt, l.idLength, "codec id"),
        utf8(bytes, l.fingerprintAt, l.fingerprintLength, "type fingerprint"), l.createdAt,
        l.expiresAt, tags, Arrays.copyOfRange(bytes, l.payloadAt, l.payloadAt + l.payloadLength));
  }

  /**
   * Checks a frame as {@link #decode} does (magic, format version, every length, trailing
   * bytes, checksum, expiry) without building it, for stores that verify what they return and
   * leave decoding to their caller. Only the UTF-8 of the text fields is not checked: bytes
   * that pass the checksum are the bytes {@link #encode} wrote.
   *
   * @param bytes the stored bytes; not modified
   * @throws CorruptEntryException if the bytes are not a complete, intact frame of a format
   *     this Cachet reads
   */
  public static void verify(byte[] bytes) {
    layout(bytes, true);
  }

  /** Where a checked frame's fields are. */
  private record Layout(int idAt, int idLength, int fingerprintAt, int fingerprintLength,
      long createdAt, long expiresAt, int[] tagAt, int[] tagLength, int payloadAt,
      int payloadLength) {
  }

  private static Layout layout(byte[] bytes, boolean checksum) {
    if (bytes == null) {
      throw new CorruptEntryException(Reason.TRUNCATED, "Not a Cachet entry: no bytes (null)");
    }
    for (int i = 0; i < MAGIC.length && i < bytes.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw new CorruptEntryException(Reason.BAD_MAGIC, "Not a Cachet entry: it does not start "
            + "with the frame magic CA 43 48 54 (byte " + i + " is "
            + String.format("%02X", bytes[i] & 0xFF) + ")");
      }
    }
    if (bytes.length <= MAGIC.length) {
      throw truncated(bytes.length, MAGIC.length + 1, "format version");
    }
    int version = bytes[MAGIC.length] & 0xFF;
    if (version > FORMAT_VERSION) {
      throw new CorruptEntryException(Reason.NEWER_FORMAT, "The cache entry was written by a "
          + "newer Cachet (format " + version + "); this version reads format " + FORMAT_VERSION
          + " only. Upgrade Cachet in every process that shares this store.");
    }
    if (version < 1) {
      throw new CorruptEntryException(Reason.MALFORMED,
          "Damaged cache entry: unknown format version " + version);
    }
    // First the structure, keeping only where things are, so that the checksum is verified
    // before any field's content is interpreted.
    Cursor c = new Cursor(bytes, MAGIC.length + 1);
    int idLength = c.u8("codec id length");
    int idAt = c.skip(idLength, "codec id");
    int fingerprintLength = c.u16("type fingerprint length");
    int fingerprintAt = c.skip(fingerprintLength, "type fingerprint");
    long createdAt = c.i64("creation time");
    long expiresAt = c.i64("expiry time");
    int tagCount = c.u16("tag count");
    int[] tagAt = new int[tagCount];
    int[] tagLength = new int[tagCount];
    for (int i = 0; i < tagCount; i++) {
      tagLength[i] = c.u16("tag length");
      tagAt[i] = c.skip(tagLength[i], "tag");
    }
    int payloadLength = c.i32("payload length");
    if (payloadLength < 0) {
      throw new CorruptEntryException(Reason.MALFORMED,
          "Damaged cache entry: negative payload length " + payloadLength);
    }
    int payloadAt = c.skip(payloadLength, "payload");
    int checksumAt = c.position;
    int stored = c.i32("checksum");
    if (c.position != bytes.length) {
      throw new CorruptEntryException(Reason.LENGTH_MISMATCH, "Damaged cache entry: "
          + (bytes.length - c.position) + " unexpected bytes after the checksum (the frame "
          + "declares " + c.position + " bytes, " + bytes.length + " were stored)");
    }
    if (checksum) {
      CRC32C crc = new CRC32C();
      crc.update(bytes, 0, checksumAt);
      if ((int) crc.getValue() != stored) {
        throw new CorruptEntryException(Reason.CHECKSUM_MISMATCH, "Damaged cache entry: CRC32C "
            + "mismatch (stored " + Integer.toHexString(stored) + ", computed "
            + Integer.toHexString((int) crc.getValue()) + ")");
      }
    }
    if (idLength == 0) {
      throw new CorruptEntryException(Reason.MALFORMED, "Damaged cache entry: empty codec id");
    }
    if (expiresAt < 0) {
      throw new CorruptEntryException(Reason.MALFORMED,
          "Damaged cache entry: negative expiry time " + expiresAt);
    }
    return new Layout(idAt, idLength, fingerprintAt, fingerprintLength, createdAt, expiresAt,
        tagAt, tagLength, payloadAt, payloadLength);
  }

  /** Bounds-checked big-endian reads over the stored bytes. */
  private static final class Cursor {
    final byte[] bytes;
    int position;

    Cursor(byte[] bytes, int position) {
      this.bytes = bytes;
      this.position = position;
    }

    int skip(int length, String what) {
      // long arithmetic: a damaged length near Integer.MAX_VALUE must not wrap around
      if ((long) position + length > bytes.length) {
        throw truncated(bytes.length, (long) position + length, what);
      }
      int at = position;
      position += length;
      return at;
    }

    int u8(String what) {
      return bytes[skip(1, what)] & 0xFF;
    }

    int u16(String what) {
      int at = skip(2, what);
      return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }

    int i32(String what) {
      int at = skip(4, what);
      return ByteBuffer.wrap(bytes, at, 4).getInt();
    }

    long i64(String what) {
      int at = skip(8, what);
      return ByteBuffer.wrap(bytes, at, 8).getLong();
    }
  }

  private static CorruptEntryException truncated(int length, long needed, String what) {
    return new CorruptEntryException(Reason.TRUNCATED, "Damaged cache entry: truncated at "
        + length + " bytes while reading the " + what + " (needs at least " + needed + ")");
  }

  private static String utf8(byte[] bytes, int at, int length, String what) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, at, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CorruptEntryException(Reason.MALFORMED,
          "Damaged cache entry: the " + what + " is not valid UTF-8");
    }
  }

  private static int utf8Length(String s) {
    // Strings here are short ids and tags; the exact byte count is what the frame stores.
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * Compares all fields, the payload by content.
   *
   * @param o another object
   * @return true if {@code o} is a frame with equal fields and payload
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EntryFrame)) {
      return false;
    }
    EntryFrame f = (EntryFrame) o;
    return createdAtMillis == f.createdAtMillis && expiresAtMillis == f.expiresAtMillis
        && codecId.equals(f.codecId) && typeFingerprint.equals(f.typeFingerprint)
        && tags.equals(f.tags) && Arrays.equals(payload, f.payload);
  }

  /**
   * A hash consistent with {@link #equals}.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(codecId, typeFingerprint, createdAtMillis, expiresAtMillis, tags)
        * 31 + Arrays.hashCode(payload);
  }

  /**
   * Describes the frame without its payload's content.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return "EntryFrame[codec=" + codecId + ", type=" + typeFingerprint + ", created="
        + createdAtMillis + ", expires=" + expiresAtMillis + ", tags=" + tags + ", payload="
        + payload.length + " bytes]";
  }
}
