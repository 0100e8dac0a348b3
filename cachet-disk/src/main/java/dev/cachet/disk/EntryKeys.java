package dev.cachet.disk;

/**
 * The two 64-bit hashes of an entry's key that the database stores ({@link #hash}): the rowid,
 * where the entry's row sits, and the check, written in the row and compared on every read.
 * Two different functions, so that a row at a key's rowid is that key's unless both collide
 * (about 2<sup>-128</sup>; the key itself is already a SHA-256 digest of the arguments). A
 * read binds one integer instead of the key's two strings, which measured as a sixth of a
 * 100-byte get. Neither is ever 0, which a NULL column reads as.
 *
 * <p>Both are part of the store's format: changing either needs a schema version and a
 * migration (see {@code Schema.migrateToHashedRowids}).
 */
final class EntryKeys {
  private EntryKeys() {
  }

  /**
   * Both hashes in one pass over the key, into {@code out[0]} (the rowid: FNV-1a over the
   * key's characters, then a final avalanche) and {@code out[1]} (the check: a polynomial hash
   * with another seed and multiplier, then mixed). Their multiplications do not depend on each
   * other, so the processor runs them side by side, and the pair costs about what one does.
   */
  static void hash(String namespace, String digest, long[] out) {
    long r = 0xcbf29ce484222325L;
    long c = 0x6a09e667f3bcc908L;
    for (int i = 0; i < namespace.length(); i++) {
      char ch = namespace.charAt(i);
      r = (r ^ ch) * 0x100000001b3L;
      c = (c + ch) * 0x9e3779b97f4a7c15L;
    }
    // Separators no char equals.
    r = (r ^ 0x10000) * 0x100000001b3L;
    c = (c + 0x10001) * 0x9e3779b97f4a7c15L;
    for (int i = 0; i < digest.length(); i++) {
      char ch = digest.charAt(i);
      r = (r ^ ch) * 0x100000001b3L;
      c = (c + ch) * 0x9e3779b97f4a7c15L;
    }
    r ^= r >>> 33;
    r *= 0xff51afd7ed558ccdL;
    r ^= r >>> 33;
    r *= 0xc4ceb9fe1a85ec53L;
    r ^= r >>> 33;
    c = (c ^ (c >>> 30)) * 0xbf58476d1ce4e5b9L;
    c = (c ^ (c >>> 27)) * 0x94d049bb133111ebL;
    c ^= c >>> 31;
    out[0] = r == 0 ? 1 : r;
    out[1] = c == 0 ? 1 : c;
  }
}
