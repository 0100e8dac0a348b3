package dev.cachet.disk;

/**
 * The two 64-bit hashes of an entry's key that the database stores: {@link #rowid}, where the
 * entry's row sits, and {@link #check}, written in the row and compared on every read. Two
 * different functions, so that a row at a key's rowid is that key's unless both collide
 * (about 2<sup>-128</sup>; the key itself is already a SHA-256 digest of the arguments). A
 * read binds one integer instead of the key's two strings, which measured as a sixth of a
 * 100-byte get. Neither is ever 0, which a NULL column reads as.
 *
 * <p>Both are part of the store's format: changing either needs a schema version and a
 * migration (see {@code DiskStore.migrateToHashedRowids}).
 */
final class EntryKeys {
  private EntryKeys() {
  }

  /** FNV-1a over the key's characters, then a final avalanche. */
  static long rowid(String namespace, String digest) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < namespace.length(); i++) {
      h = (h ^ namespace.charAt(i)) * 0x100000001b3L;
    }
    h = (h ^ 0x10000) * 0x100000001b3L; // a separator no char equals
    for (int i = 0; i < digest.length(); i++) {
      h = (h ^ digest.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }

  /** A polynomial hash of the key's characters with another seed and multiplier, then mixed. */
  static long check(String namespace, String digest) {
    long h = 0x6a09e667f3bcc908L;
    for (int i = 0; i < namespace.length(); i++) {
      h = (h + namespace.charAt(i)) * 0x9e3779b97f4a7c15L;
    }
    h = (h + 0x10001) * 0x9e3779b97f4a7c15L; // a separator no char equals
    for (int i = 0; i < digest.length(); i++) {
      h = (h + digest.charAt(i)) * 0x9e3779b97f4a7c15L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    h ^= h >>> 31;
    return h == 0 ? 1 : h;
  }
}
