package dev.cachet.tier;

import dev.cachet.codec.Codec;
import dev.cachet.codec.CodecRegistry;
import dev.cachet.codec.EntryFrame;
import java.lang.reflect.Type;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * One memoized function's view of the tiers below memory: its namespace, its declared result
 * type and how to encode it, over a {@link TierEngine} of its own (which walks, promotes,
 * expires and counts). Internal; used by the memoization engine inside a load's flight, so
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
  private final TierEngine engine;
  private final CodecRegistry codecs;
  private final List<String> tags;
  private final boolean verbose;

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
    this.engine = new TierEngine(tiers, clock, memoryTtlMillis);
    this.codecs = codecs;
    this.tags = List.copyOf(tags);
    this.verbose = verbose;
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
    return engine.hitsByTier();
  }

  /** The stores, fastest first. */
  public List<Store> stores() {
    return engine.stores();
  }

  /** Whether another process may invalidate entries here (a shared tier has a bus). */
  public boolean coherent() {
    return engine.coherent();
  }

  /** Single-flight across processes, when a shared tier offers it. */
  public Optional<FleetFlight> fleetFlight() {
    return engine.fleetFlight();
  }

  /** A value found in a tier; {@code value} may be null (a cached null result). */
  public record Found(Object value, Store tier) {
  }

  /**
   * Looks the entry up in each tier in turn ({@link TierEngine#lookup}); a hit in a lower tier
   * is copied into the tiers above it. Returns null when no tier holds a readable entry.
   *
   * @param key the key, for messages
   * @param digest the key's digest
   */
  public Found lookup(Object key, String digest) {
    TierEngine.Found<Decoded> found = engine.lookup(namespace, digest, typeFingerprint,
        this::decode);
    if (found == null) {
      return null;
    }
    if (verbose) {
      LOG.log(System.Logger.Level.INFO, functionName + ": hit from " + found.store().describe()
          + " for " + key);
    }
    return new Found(found.value().value(), found.store());
  }

  /** A decoded value, which may be null (a cached null result). */
  private record Decoded(Object value) {
  }

  private Decoded decode(EntryFrame frame) {
    Optional<Codec> codec = codecs.byId(frame.codecId());
    if (codec.isEmpty()) {
      // Written with a codec registered elsewhere (another process may read it): leave it.
      return null;
    }
    // A CodecException (the value's shape changed without changing the type fingerprint)
    // makes the engine drop the entry.
    return new Decoded(codec.get().decode(frame.payload(), declaredType));
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
    engine.put(namespace, digest, encoded.get().codecId(), typeFingerprint, tags,
        encoded.get().payload(), engine.clock().millis());
  }

  /**
   * Writes an explicitly given value through to every tier and tells the other processes to
   * drop the copies their local tiers hold, which are older.
   */
  public void overwrite(String digest, Object value) {
    write(digest, value);
    engine.publish(Invalidation.key(namespace, digest, "put"));
  }

  /** Removes the entry from every tier and tells the other processes. */
  public void remove(String digest, String reason) {
    engine.remove(namespace, digest, reason);
  }

  /** Removes every entry of this function's namespace from every tier and tells the other processes. */
  public void removeAll(String reason) {
    engine.removeNamespace(namespace, reason);
  }

}
