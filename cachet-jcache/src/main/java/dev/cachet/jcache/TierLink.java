package dev.cachet.jcache;

import dev.cachet.codec.CorruptEntryException;
import dev.cachet.codec.EntryFrame;
import dev.cachet.key.KeyDigest;
import dev.cachet.tier.Store;
import java.io.ObjectInputFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.CacheException;

/**
 * One JCache cache's view of the tiers below memory (disk, Redis), opened by Cachet: entries
 * live there under the namespace {@code jcache/<cache name>}, addressed by the SHA-256 of the
 * key's canonical encoding (Cachet's stable keys: equal strings, numbers, records, lists... give
 * equal digests in every process), or of its Java serialization for keys Cachet cannot encode.
 * Values are Java-serialized into an {@link EntryFrame} whose codec id is
 * {@value #CODEC_ID} and whose type fingerprint is the cache's value type.
 *
 * <p>Like every tier, nothing here throws because of the store: a store in trouble is a miss or
 * a dropped write (the store logs and counts it). A value that cannot be serialized stays in
 * memory only, with one warning per cache.
 */
final class TierLink {
  static final String CODEC_ID = "java-serialization";
  private static final System.Logger LOG = System.getLogger(TierLink.class.getName());

  private final String cacheName;
  private final String namespace;
  private final List<Store> stores;
  private final List<String> tags;
  private final String typeFingerprint;
  private final ClassLoader loader;
  private final ObjectInputFilter filter;
  private final Set<Class<?>> warned = ConcurrentHashMap.newKeySet();

  TierLink(String cacheName, List<Store> stores, List<String> tags, Class<?> valueType,
      ClassLoader loader, ObjectInputFilter filter) {
    this.cacheName = cacheName;
    this.namespace = namespace(cacheName);
    this.stores = List.copyOf(stores);
    this.tags = List.copyOf(tags);
    this.typeFingerprint = "jcache:" + valueType.getName();
    this.loader = loader;
    this.filter = filter;
  }

  /** Where a cache's entries live in the tiers: its name, hashed when long or unprintable. */
  static String namespace(String cacheName) {
    boolean printable = cacheName.chars().noneMatch(Character::isISOControl);
    if (cacheName.length() <= 200 && printable) {
      return "jcache/" + cacheName;
    }
    return "jcache/#" + sha256Hex(cacheName.getBytes(StandardCharsets.UTF_8));
  }

  String namespace() {
    return namespace;
  }

  List<Store> stores() {
    return stores;
  }

  /** A value found in a tier and when it expires (epoch millis, {@link Expirable#ETERNAL} for never). */
  record Found(Object value, long expireAtMillis) {
  }

  /** Looks {@code key} up in each tier in turn; null when none holds a live, readable entry. */
  Found read(Object key) {
    String digest = digest(key);
    long now = System.currentTimeMillis();
    for (Store store : stores) {
      byte[] bytes = store.get(namespace, digest);
      if (bytes == null) {
        continue;
      }
      EntryFrame frame;
      try {
        frame = EntryFrame.decode(bytes);
      } catch (CorruptEntryException e) {
        store.remove(namespace, digest);
        continue;
      }
      if (!frame.codecId().equals(CODEC_ID) || !frame.typeFingerprint().equals(typeFingerprint)
          || frame.isExpired(now)) {
        continue;
      }
      Object value;
      try {
        value = Copier.deserialize(frame.payload(), loader, filter);
      } catch (CacheException e) {
        LOG.log(System.Logger.Level.WARNING, "cache " + cacheName + ": dropping an entry of "
            + store.describe() + " that does not deserialize: " + e.getMessage());
        store.remove(namespace, digest);
        continue;
      }
      long expires = frame.expiresAtMillis() == 0 ? Expirable.ETERNAL : frame.expiresAtMillis();
      return new Found(value, expires);
    }
    return null;
  }

  /** Writes {@code value} through to every tier, expiring there at {@code expireAtMillis}. */
  void write(Object key, Object value, long expireAtMillis) {
    byte[] payload;
    try {
      payload = Copier.serialize(value);
    } catch (IllegalArgumentException e) {
      if (warned.add(value.getClass())) {
        LOG.log(System.Logger.Level.WARNING, "cache " + cacheName + ": values of "
            + value.getClass().getName() + " stay in memory only: " + e.getMessage());
      }
      remove(key);
      return;
    }
    long expires = expireAtMillis == Expirable.ETERNAL ? 0 : expireAtMillis;
    byte[] frame = new EntryFrame(CODEC_ID, typeFingerprint, System.currentTimeMillis(), expires,
        tags, payload).encode();
    String digest = digest(key);
    for (Store store : stores) {
      store.put(namespace, digest, frame, expires, tags);
    }
  }

  /** Removes the entry of {@code key} from every tier. */
  void remove(Object key) {
    String digest = digest(key);
    for (Store store : stores) {
      store.remove(namespace, digest);
    }
  }

  /** Removes every entry of this cache from every tier. */
  void clear() {
    for (Store store : stores) {
      store.removeNamespace(namespace);
    }
  }

  static String digest(Object key) {
    try {
      return KeyDigest.sha256Hex(key, true);
    } catch (RuntimeException e) {
      // Not a key Cachet can encode canonically (an arbitrary Serializable class): its bytes.
      return sha256Hex(Copier.serialize(key));
    }
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
