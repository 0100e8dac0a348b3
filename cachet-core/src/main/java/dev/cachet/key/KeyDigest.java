package dev.cachet.key;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 digests of keys: the SHA-256 of their {@link CanonicalEncoding}, identical in every
 * JVM, run and JDK version. Persistent tiers (disk, Redis) use them as storage keys.
 */
public final class KeyDigest {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private KeyDigest() {
  }

  /**
   * The SHA-256 of a snapshot's canonical encoding.
   *
   * @param key a snapshot from {@link KeyMaker} or {@link KeySnapshot}
   * @return 32 bytes
   * @throws IllegalArgumentException when {@code key} is not a snapshot
   */
  public static byte[] sha256(Object key) {
    return sha256Bytes(CanonicalEncoding.encode(key));
  }

  /**
   * The SHA-256 of a snapshot's canonical encoding, in lowercase hexadecimal.
   *
   * @param key a snapshot from {@link KeyMaker} or {@link KeySnapshot}
   * @return 64 hexadecimal digits
   * @throws IllegalArgumentException when {@code key} is not a snapshot
   */
  public static String sha256Hex(Object key) {
    return hex(sha256(key));
  }

  /**
   * The SHA-256 of a raw value: {@code sha256(KeySnapshot.of(value, typed))}.
   *
   * @param value any value {@link KeySnapshot} supports, possibly null
   * @param typed whether numbers of different Java types stay apart
   * @return 32 bytes
   * @throws KeyException when the value has no stable key
   */
  public static byte[] sha256(Object value, boolean typed) {
    return sha256(KeySnapshot.of(value, typed));
  }

  /**
   * The SHA-256 of a raw value in lowercase hexadecimal:
   * {@code sha256Hex(KeySnapshot.of(value, typed))}.
   *
   * @param value any value {@link KeySnapshot} supports, possibly null
   * @param typed whether numbers of different Java types stay apart
   * @return 64 hexadecimal digits
   * @throws KeyException when the value has no stable key
   */
  public static String sha256Hex(Object value, boolean typed) {
    return hex(sha256(value, typed));
  }

  /**
   * Lowercase hexadecimal form of bytes.
   *
   * @param bytes any bytes
   * @return two digits per byte
   */
  public static String hex(byte[] bytes) {
    char[] c = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      c[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
      c[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(c);
  }

  private static byte[] sha256Bytes(byte[] input) {
    try {
      // A new instance per call: MessageDigest is not thread-safe and is cheap to create.
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
