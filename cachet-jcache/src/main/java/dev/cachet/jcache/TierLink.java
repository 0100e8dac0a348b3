package dev.cachet.jcache;

import dev.cachet.codec.CorruptEntryException;
import dev.cachet.codec.EntryFrame;
import dev.cachet.key.KeyDigest;
import dev.cachet.tier.Invalidation;
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
  private final java.time.Clock clock;
  private final Set<Class<?>> warned = ConcurrentHashMap.newKeySet();

  TierLink(String cacheName, List<Store> stores, List<String> tags, Class<?> valueType,
      ClassLoader loader, ObjectInputFilter filter, java.time.Clock clock) {
    this.clock = clock;
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

  /**
   * Whether other processes share these tiers (Redis): writes and removals are then announced
   * on the tiers' invalidation bus, and other processes' announcements drop memory copies.
   */
  boolean coherent() {
    return stores.stream().anyMatch(s -> s.invalidationBus().isPresent());
  }

  /** A value found in a tier, when it expires (epoch millis, {@link Expirable#ETERNAL} for never), and the key's digest. */
  record Found(Object value, long expireAtMillis, String digest) {
  }

  /** Looks {@code key} up in each tier in turn; null when none holds a live, readable entry. */
  Found read(Object key) {
    String digest = digest(key);
    long now = clock.millis();
    for (Store store : stores) {
      byte[] bytes = store.get(namespace, digest);
      if (bytes == null) {
        continue;
      }
      EntryFrame frame;
      try {
        // The store verified the frame and removes damaged ones itself (the Store contract):
        // parse it without computing the checksum again, and leave removal to the store.
        frame = EntryFrame.decodeVerified(bytes);
      } catch (CorruptEntryException e) {
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
      return new Found(value, expires, digest);
    }
    return null;
  }

  /**
   * Writes {@code value} through to every tier, expiring there at {@code expireAtMillis}, and
   * tells the other processes to drop their memory copies. Returns the key's digest.
   */
  String write(Object key, Object value, long expireAtMillis) {
    return write(key, digest(key), value, expireAtMillis);
  }

  /** {@link #write(Object, Object, long)} with the key's digest already computed. */
  String write(Object key, String digest, Object value, long expireAtMillis) {
    byte[] payload;
    try {
      payload = Copier.serialize(value);
    } catch (IllegalArgumentException e) {
      if (warned.add(value.getClass())) {
        LOG.log(System.Logger.Level.WARNING, "cache " + cacheName + ": values of "
            + value.getClass().getName() + " stay in memory only: " + e.getMessage());
      }
      removeDigest(digest);
      return digest;
    }
    long expires = expireAtMillis == Expirable.ETERNAL ? 0 : expireAtMillis;
    byte[] frame = new EntryFrame(CODEC_ID, typeFingerprint, clock.millis(), expires,
        tags, payload).encode();
    for (Store store : stores) {
      store.put(namespace, digest, frame, expires, tags);
    }
    publish(Invalidation.key(namespace, digest, "jcache put"));
    return digest;
  }

  /** Removes the entry of {@code key} from every tier, and from other processes' memory. */
  void remove(Object key) {
    removeDigest(digest(key));
  }

  /** {@link #remove(Object)} by the key's digest. */
  void removeDigest(String digest) {
    for (Store store : stores) {
      store.remove(namespace, digest);
    }
    publish(Invalidation.key(namespace, digest, "jcache remove"));
  }

  /** Removes every entry of this cache from every tier, and from other processes' memory. */
  void clear() {
    for (Store store : stores) {
      store.removeNamespace(namespace);
    }
    publish(Invalidation.namespace(namespace, "jcache clear"));
  }

  private void publish(Invalidation invalidation) {
    for (Store store : stores) {
      store.invalidationBus().ifPresent(bus -> bus.publish(invalidation));
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
