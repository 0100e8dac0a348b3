package dev.cachet.tier;

import dev.cachet.codec.Codec;
import dev.cachet.codec.CodecException;
import dev.cachet.codec.CodecRegistry;
import dev.cachet.codec.CorruptEntryException;
import dev.cachet.codec.EntryFrame;
import java.lang.reflect.Type;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * One memoized function's view of the tiers below memory: its namespace, its declared result
 * type and how to encode it. Internal; used by the memoization engine inside a load's flight, so
 * single-flight covers the tiers too. Entries are addressed by the key's digest
 * ({@link dev.cachet.key.KeyDigest}), which the engine computes once per load.
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
  private final Tiers tiers;
  private final List<Store> stores;
  private final CodecRegistry codecs;
  private final long[] ttlMillis;
  private final List<String> tags;
  private final boolean verbose;
  private final LongAdder[] hits;
  private final Clock clock;

  /**
   * @param functionName the memoized function's name, for messages
   * @param namespace name, version, code and type fingerprints: where its entries live
   * @param declaredType the result type values are decoded into
   * @param typeFingerprint the shape of {@code declaredType}, stored in each frame
   * @param tiers the tiers, fastest first
   * @param memoryTtlMillis memory's lifetime for entries (0 for none), the default of each tier
   * @param tags the tags every entry carries
   * @param verbose whether to log each tier hit
   * @param clock the wall clock that stamps written entries and decides whether a read one
   *     has expired
   */
  public TierAccess(String functionName, String namespace, Type declaredType,
      String typeFingerprint, Tiers tiers, CodecRegistry codecs, long memoryTtlMillis,
      List<String> tags, boolean verbose, Clock clock) {
    this.functionName = functionName;
    this.namespace = namespace;
    this.declaredType = declaredType;
    this.typeFingerprint = typeFingerprint;
    this.tiers = tiers;
    this.stores = tiers.stores();
    this.codecs = codecs;
    this.ttlMillis = new long[stores.size()];
    for (int i = 0; i < ttlMillis.length; i++) {
      ttlMillis[i] = tiers.ttlMillis(i, memoryTtlMillis);
    }
    this.tags = List.copyOf(tags);
    this.verbose = verbose;
    this.clock = clock;
    this.hits = new LongAdder[stores.size()];
    for (int i = 0; i < hits.length; i++) {
      hits[i] = new LongAdder();
    }
  }

  /** The namespace this function's entries are stored under. */
  public String namespace() {
    return namespace;
  }

  /** The tags every entry of this function carries. */
  public List<String> tags() {
    return tags;
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

  /** Whether another process may invalidate entries here (a shared tier has a bus). */
  public boolean coherent() {
    return tiers.coherent();
  }

  /** Single-flight across processes, when a shared tier offers it. */
  public Optional<FleetFlight> fleetFlight() {
    return tiers.fleetFlight();
  }

  /** A value found in a tier; {@code value} may be null (a cached null result). */
  public record Found(Object value, Store tier) {
  }

  /**
   * Looks the entry up in each tier in turn; a hit in a lower tier is copied into the tiers
   * above it. Returns null when no tier holds a readable entry.
   *
   * @param key the key, for messages
   * @param digest the key's digest
   */
  public Found lookup(Object key, String digest) {
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
        // Each upper tier keeps the entry for its own lifetime, counted from the original
        // write, so promotion never makes an entry live longer than that tier allows.
        long expiresAt = expiresAt(frame.createdAtMillis(), ttlMillis[j]);
        if (expiresAt != 0 && expiresAt <= clock.millis()) {
          continue;
        }
        byte[] copy = expiresAt == frame.expiresAtMillis() ? bytes : new EntryFrame(
            frame.codecId(), frame.typeFingerprint(), frame.createdAtMillis(), expiresAt,
            frame.tags(), frame.payload()).encode();
        stores.get(j).put(namespace, digest, copy, expiresAt, frame.tags());
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

  private static long expiresAt(long createdAt, long ttl) {
    return ttl == 0 ? 0 : createdAt + ttl;
  }

  /** The entry's frame when it belongs to this function's result type and is still live; else null. */
  private EntryFrame readable(Store store, String digest, byte[] bytes) {
    try {
      EntryFrame frame = EntryFrame.decode(bytes);
      boolean usable = frame.typeFingerprint().equals(typeFingerprint)
          && !frame.isExpired(clock.millis());
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
  public void write(String digest, Object value) {
    Optional<CodecRegistry.Encoded> encoded = codecs.tryEncode(functionName, value, declaredType);
    if (encoded.isEmpty()) {
      return;
    }
    long now = clock.millis();
    byte[] frame = null;
    long frameExpiry = -1;
    for (int i = 0; i < stores.size(); i++) {
      long expiresAt = expiresAt(now, ttlMillis[i]);
      if (frame == null || expiresAt != frameExpiry) {
        frame = new EntryFrame(encoded.get().codecId(), typeFingerprint, now, expiresAt, tags,
            encoded.get().payload()).encode();
        frameExpiry = expiresAt;
      }
      stores.get(i).put(namespace, digest, frame, expiresAt, tags);
    }
  }

  /**
   * Writes an explicitly given value through to every tier and tells the other processes to
   * drop the copies their local tiers hold, which are older.
   */
  public void overwrite(String digest, Object value) {
    write(digest, value);
    tiers.publish(Invalidation.key(namespace, digest, "put"));
  }

  /** Removes the entry from every tier and tells the other processes. */
  public void remove(String digest, String reason) {
    for (Store store : stores) {
      store.remove(namespace, digest);
    }
    tiers.publish(Invalidation.key(namespace, digest, reason));
  }

  /** Removes every entry of this function's namespace from every tier and tells the other processes. */
  public void removeAll(String reason) {
    for (Store store : stores) {
      store.removeNamespace(namespace);
    }
    tiers.publish(Invalidation.namespace(namespace, reason));
  }

}
