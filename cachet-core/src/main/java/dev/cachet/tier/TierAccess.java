package dev.cachet.tier;

import dev.cachet.codec.Codec;
import dev.cachet.codec.CodecException;
import dev.cachet.codec.CodecRegistry;
import dev.cachet.codec.CorruptEntryException;
import dev.cachet.codec.EntryFrame;
import dev.cachet.key.KeyDigest;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * One memoized function's view of the tiers below memory: its namespace, its declared result
 * type and how to encode it. Internal; used by the memoization engine inside a load's flight, so
 * single-flight covers the tiers too.
 *
 * <p>Nothing here throws because of a tier: an unreadable entry, an undecodable value or a store
 * in trouble is a miss (and the store has logged and counted it).
 */
public final class TierAccess {
  private static final System.Logger LOG = System.getLogger(TierAccess.class.getName());

  private final String functionName;
  private final String namespace;
  private final Type declaredType;
  private final String typeFingerprint;
  private final List<Store> stores;
  private final CodecRegistry codecs;
  private final long expireAfterWriteMillis;
  private final boolean verbose;
  private final LongAdder[] hits;

  /**
   * @param functionName the memoized function's name, for messages
   * @param namespace name, version, code and type fingerprints: where its entries live
   * @param declaredType the result type values are decoded into
   * @param typeFingerprint the shape of {@code declaredType}, stored in each frame
   * @param stores the tiers, fastest first
   * @param expireAfterWriteMillis the entries' lifetime, or 0 for none
   * @param verbose whether to log each tier hit
   */
  public TierAccess(String functionName, String namespace, Type declaredType,
      String typeFingerprint, List<Store> stores, CodecRegistry codecs,
      long expireAfterWriteMillis, boolean verbose) {
    this.functionName = functionName;
    this.namespace = namespace;
    this.declaredType = declaredType;
    this.typeFingerprint = typeFingerprint;
    this.stores = List.copyOf(stores);
    this.codecs = codecs;
    this.expireAfterWriteMillis = expireAfterWriteMillis;
    this.verbose = verbose;
    this.hits = new LongAdder[this.stores.size()];
    for (int i = 0; i < hits.length; i++) {
      hits[i] = new LongAdder();
    }
  }

  /** The namespace this function's entries are stored under. */
  public String namespace() {
    return namespace;
  }

  /** Hits served by each tier, in tier order. */
  public long[] hitsByTier() {
    long[] out = new long[hits.length];
    for (int i = 0; i < hits.length; i++) {
      out[i] = hits[i].sum();
    }
    return out;
  }

  /** The stores, fastest first. */
  public List<Store> stores() {
    return stores;
  }

  /** A value found in a tier; {@code value} may be null (a cached null result). */
  public record Found(Object value, Store tier) {
  }

  /**
   * Looks {@code key} up in each tier in turn; a hit in a lower tier is copied into the tiers
   * above it. Returns null when no tier holds a readable entry.
   */
  public Found lookup(Object key) {
    String digest = KeyDigest.sha256Hex(key);
    for (int i = 0; i < stores.size(); i++) {
      Store store = stores.get(i);
      byte[] bytes = store.get(namespace, digest);
      EntryFrame frame = bytes == null ? null : readable(store, digest, bytes);
      if (frame == null) {
        continue;
      }
      Optional<Codec> codec = codecs.byId(frame.codecId());
      if (codec.isEmpty()) {
        // Written with a codec registered elsewhere (another process may read it): leave it.
        continue;
      }
      Object value;
      try {
        value = codec.get().decode(frame.payload(), declaredType);
      } catch (CodecException e) {
        // A value that no longer decodes into the declared type (its shape changed without
        // changing the type fingerprint) is dropped, not served.
        store.remove(namespace, digest);
        continue;
      }
      for (int j = 0; j < i; j++) {
        stores.get(j).put(namespace, digest, bytes, frame.expiresAtMillis(), frame.tags());
      }
      hits[i].increment();
      if (verbose) {
        LOG.log(System.Logger.Level.INFO, functionName + ": hit from " + store.describe()
            + " for " + key);
      }
      return new Found(value, store);
    }
    return null;
  }

  /** The entry's frame when it belongs to this function's result type and is still live; else null. */
  private EntryFrame readable(Store store, String digest, byte[] bytes) {
    try {
      EntryFrame frame = EntryFrame.decode(bytes);
      boolean usable = frame.typeFingerprint().equals(typeFingerprint)
          && !frame.isExpired(System.currentTimeMillis());
      return usable ? frame : null;
    } catch (CorruptEntryException e) {
      store.remove(namespace, digest);
      return null;
    }
  }

  /**
   * Writes {@code value} through to every tier. A value that cannot be encoded stays in memory
   * only (the codec registry warns once per function and type).
   */
  public void write(Object key, Object value) {
    Optional<CodecRegistry.Encoded> encoded = codecs.tryEncode(functionName, value, declaredType);
    if (encoded.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    long expiresAt = expireAfterWriteMillis == 0 ? 0 : now + expireAfterWriteMillis;
    byte[] frame = new EntryFrame(encoded.get().codecId(), typeFingerprint, now, expiresAt,
        List.of(), encoded.get().payload()).encode();
    String digest = KeyDigest.sha256Hex(key);
    for (Store store : stores) {
      store.put(namespace, digest, frame, expiresAt, List.of());
    }
  }

  /** Removes {@code key} from every tier. */
  public void remove(Object key) {
    String digest = KeyDigest.sha256Hex(key);
    for (Store store : stores) {
      store.remove(namespace, digest);
    }
  }

  /** Removes every entry of this function's namespace from every tier. */
  public void removeAll() {
    for (Store store : stores) {
      store.removeNamespace(namespace);
    }
  }
}
