package dev.cachet.redis;

import java.nio.charset.StandardCharsets;

/**
 * The key scheme (docs/REDIS-FORMAT.md), in one place:
 *
 * <ul>
 *   <li>entry: {@code PREFIX:NAMESPACE:VERSION:DIGEST}, a string holding the framed entry;
 *   <li>namespace version: {@code PREFIX:nsver:{NAMESPACE}}, a decimal counter;
 *   <li>tag index: {@code PREFIX:tag:{TAG}}, a set of entry keys.
 * </ul>
 *
 * <p>Entry keys carry no hash tag on purpose: a namespace's entries spread over every master of
 * a Cluster instead of loading one node. A key is an entry of namespace N only when what follows
 * {@code PREFIX:N:} is {@code VERSION:DIGEST} with a decimal version and a digest of letters,
 * digits, {@code -} and {@code _}; that rule keeps namespaces that are prefixes of one another
 * ({@code f} and {@code f:1}) and the version and tag keys apart when scanning.
 */
final class RedisKeys {
  private final String prefix;
  private final byte[] prefixColon;

  RedisKeys(String prefix) {
    this.prefix = prefix;
    this.prefixColon = (prefix + ":").getBytes(StandardCharsets.UTF_8);
  }

  /** The entry key of a digest in a namespace's version. */
  byte[] entry(String namespace, long version, String digest) {
    byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
    String tail = ":" + version + ":" + digest;
    // Digests and versions are ASCII: one byte per char.
    byte[] out = new byte[prefixColon.length + ns.length + tail.length()];
    System.arraycopy(prefixColon, 0, out, 0, prefixColon.length);
    System.arraycopy(ns, 0, out, prefixColon.length, ns.length);
    int at = prefixColon.length + ns.length;
    for (int i = 0; i < tail.length(); i++) {
      out[at + i] = (byte) tail.charAt(i);
    }
    return out;
  }

  /** The key holding a namespace's current version. */
  byte[] version(String namespace) {
    return (prefix + ":nsver:{" + namespace + "}").getBytes(StandardCharsets.UTF_8);
  }

  /** The set of the entry keys carrying a tag. */
  byte[] tag(String tag) {
    return (prefix + ":tag:{" + tag + "}").getBytes(StandardCharsets.UTF_8);
  }

  /** A SCAN pattern matching every key of a namespace (all versions, and some other keys). */
  byte[] namespacePattern(String namespace) {
    return (globEscape(prefix) + ":" + globEscape(namespace) + ":*")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A SCAN pattern matching the entries of one version of a namespace. */
  byte[] versionPattern(String namespace, long version) {
    return (globEscape(prefix) + ":" + globEscape(namespace) + ":" + version + ":*")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A SCAN pattern matching every key of this prefix. */
  byte[] allPattern() {
    return (globEscape(prefix) + ":*").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The version of an entry key of {@code namespace}, or -1 when the key is not an entry of
   * that namespace (another namespace sharing the beginning, a tag or version key).
   */
  long versionOf(byte[] key, byte[] namespacePrefix) {
    if (!startsWith(key, namespacePrefix)) {
      return -1;
    }
    int i = namespacePrefix.length;
    long version = 0;
    int digits = 0;
    while (i < key.length && key[i] >= '0' && key[i] <= '9' && digits < 18) {
      version = version * 10 + (key[i] - '0');
      i++;
      digits++;
    }
    if (digits == 0 || i >= key.length || key[i] != ':') {
      return -1;
    }
    return validDigest(key, i + 1) ? version : -1;
  }

  /** The digest of an entry key whose namespace-and-version prefix is known, or null. */
  static String digestOf(byte[] key, byte[] versionPrefix) {
    if (!startsWith(key, versionPrefix) || !validDigest(key, versionPrefix.length)) {
      return null;
    }
    return new String(key, versionPrefix.length, key.length - versionPrefix.length,
        StandardCharsets.US_ASCII);
  }

  /**
   * Whether a key of this prefix is one this store wrote: an entry, a namespace version or a
   * tag set (or a tag set being removed). Keys of the same prefix written by the coherence
   * classes ({@code PREFIX:lock:{..}:..}, {@code PREFIX:inv:log}) are not, so {@code clear()}
   * leaves locks and the invalidation log alone.
   */
  boolean isOwnKey(byte[] key) {
    if (!startsWith(key, prefixColon)) {
      return false;
    }
    if (startsWithAt(key, prefixColon.length, NSVER) || startsWithAt(key, prefixColon.length,
        TAG)) {
      return true;
    }
    int last = lastColon(key, key.length - 1);
    if (last < 0 || !validDigest(key, last + 1)) {
      return false;
    }
    int before = lastColon(key, last - 1);
    if (before < prefixColon.length || before + 1 >= last) {
      return false;
    }
    for (int i = before + 1; i < last; i++) {
      if (key[i] < '0' || key[i] > '9') {
        return false;
      }
    }
    return true;
  }

  private static final byte[] NSVER = "nsver:{".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TAG = "tag:{".getBytes(StandardCharsets.US_ASCII);

  private static int lastColon(byte[] key, int from) {
    for (int i = from; i >= 0; i--) {
      if (key[i] == ':') {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWithAt(byte[] key, int at, byte[] start) {
    if (key.length - at < start.length) {
      return false;
    }
    for (int i = 0; i < start.length; i++) {
      if (key[at + i] != start[i]) {
        return false;
      }
    }
    return true;
  }

  /** {@code PREFIX:NAMESPACE:} as bytes. */
  byte[] namespacePrefix(String namespace) {
    return (prefix + ":" + namespace + ":").getBytes(StandardCharsets.UTF_8);
  }

  /** {@code PREFIX:NAMESPACE:VERSION:} as bytes. */
  byte[] versionPrefix(String namespace, long version) {
    return (prefix + ":" + namespace + ":" + version + ":").getBytes(StandardCharsets.UTF_8);
  }

  /** Whether a digest can be part of an entry key (what SHA-256 hex digests always are). */
  static boolean isValidDigest(String digest) {
    if (digest.isEmpty()) {
      return false;
    }
    for (int i = 0; i < digest.length(); i++) {
      if (!digestChar(digest.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean validDigest(byte[] key, int from) {
    if (from >= key.length) {
      return false;
    }
    for (int i = from; i < key.length; i++) {
      if (!digestChar((char) (key[i] & 0xff))) {
        return false;
      }
    }
    return true;
  }

  private static boolean digestChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || c == '-' || c == '_';
  }

  private static boolean startsWith(byte[] key, byte[] start) {
    if (key.length < start.length) {
      return false;
    }
    for (int i = 0; i < start.length; i++) {
      if (key[i] != start[i]) {
        return false;
      }
    }
    return true;
  }

  /** Escapes Redis glob characters so a namespace matches only itself in a SCAN pattern. */
  static String globEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
