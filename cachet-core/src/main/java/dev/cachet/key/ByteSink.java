package dev.cachet.key;

import java.util.Arrays;

/** A growable byte buffer with the primitive writes of the canonical encoding. */
final class ByteSink {
  private byte[] buf;
  private int size;

  ByteSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      long wanted = Math.max((long) buf.length * 2, (long) size + extra);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("key encoding larger than 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) wanted);
    }
  }

  void write(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  void write(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
  }

  /** Big-endian, two bytes. */
  void writeShort(int v) {
    ensure(2);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
  }

  /** Big-endian, four bytes. */
  void writeInt(int v) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      buf[size++] = (byte) (v >>> shift);
    }
  }

  /** Big-endian, eight bytes. */
  void writeLong(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[size++] = (byte) (v >>> shift);
    }
  }

  /** Unsigned LEB128: seven bits per byte, least significant group first, high bit = more. */
  void writeVarint(long v) {
    ensure(10);
    long rest = v;
    while ((rest & ~0x7FL) != 0) {
      buf[size++] = (byte) ((rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    buf[size++] = (byte) rest;
  }

  /** A signed int as a ZigZag-mapped varint (0, -1, 1, -2... become 0, 1, 2, 3...). */
  void writeZigZag(int v) {
    writeVarint(((v << 1) ^ (v >> 31)) & 0xFFFFFFFFL);
  }

  /**
   * A string as a varint byte length followed by its UTF-8 bytes. Unpaired surrogates, which
   * {@code String.getBytes(UTF_8)} would silently turn into {@code '?'}, are written as their
   * own three-byte sequence (generalized UTF-8, "WTF-8") so that distinct strings always get
   * distinct bytes.
   */
  void writeString(String s) {
    int n = s.length();
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (ch < 0x80) {
        bytes += 1;
      } else if (ch < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(ch) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    writeVarint(bytes);
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("string too long for a key");
    }
    ensure((int) bytes);
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (ch < 0x80) {
        buf[size++] = (byte) ch;
      } else if (ch < 0x800) {
        buf[size++] = (byte) (0xC0 | (ch >>> 6));
        buf[size++] = (byte) (0x80 | (ch & 0x3F));
      } else if (Character.isHighSurrogate(ch) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(ch, s.charAt(++i));
        buf[size++] = (byte) (0xF0 | (cp >>> 18));
        buf[size++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
        buf[size++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
        buf[size++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        buf[size++] = (byte) (0xE0 | (ch >>> 12));
        buf[size++] = (byte) (0x80 | ((ch >>> 6) & 0x3F));
        buf[size++] = (byte) (0x80 | (ch & 0x3F));
      }
    }
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
