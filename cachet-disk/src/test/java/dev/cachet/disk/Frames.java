package dev.cachet.disk;

import dev.cachet.codec.EntryFrame;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Builds real entry frames for the tests. */
final class Frames {
  private Frames() {
  }

  static byte[] frame(String text) {
    return new EntryFrame("utf8", "java.lang.String", 1L, 0L, List.of(),
        text.getBytes(StandardCharsets.UTF_8)).encode();
  }

  /** A frame of at least {@code size} payload bytes, filled from {@code seed}. */
  static byte[] frame(int size, int seed) {
    byte[] payload = new byte[size];
    Arrays.fill(payload, (byte) seed);
    for (int i = 0; i < size; i += 97) {
      payload[i] = (byte) (seed * 31 + i);
    }
    return new EntryFrame("bytes", "byte[]", 1L, 0L, List.of(), payload).encode();
  }

  /** Where {@code needle} (a stored frame) starts in {@code haystack} (a database file), or -1. */
  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
