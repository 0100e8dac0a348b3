package dev.cachet.tier;

import java.util.List;
import java.util.Optional;

/**
 * A cache tier below memory (disk, Redis, ...): a map from (namespace, key digest) to a framed
 * entry ({@link dev.cachet.codec.EntryFrame#encode()} bytes). Every tier implements this one
 * narrow contract, so another engine is one class plus a subclass of the shared contract suite,
 * {@code dev.cachet.tier.StoreContract} in cachet-core's test jar (type {@code test-jar}), which
 * runs every promise below on the real engine.
 *
 * <p>Implementations are thread-safe, may be shared by several processes, and never throw on
 * {@code get}/{@code put}/{@code remove} because of the store's own trouble (full disk,
 * corruption, connection loss): they log once, count it in {@link StoreStats}, and behave as a
 * miss or a dropped write. They throw only for programming errors (null arguments, use after
 * close).
 *
 * <p>Keys are bounded so that every engine can hold them verbatim: a namespace is printable text
 * of at most 512 characters (the core builds it from a name of at most 200 characters, a version
 * of at most 100, and fixed-size fingerprints) and a digest is 64 lowercase hex characters.
 */
public interface Store extends AutoCloseable {

  /** A short description for messages and statistics, such as {@code disk:/var/cache/app}. */
  String describe();

  /**
   * The framed entry stored under the key, or null when absent, expired, or unreadable.
   *
   * <p>The store owns frame checking: it returns only bytes that pass
   * {@link dev.cachet.codec.EntryFrame#verify} (checksum included), and it alone removes a
   * damaged entry and counts it in {@link StoreStats#corruptions()}, so damage is one miss and
   * one removal. Callers ({@link TierEngine}) parse what it returns with
   * {@link dev.cachet.codec.EntryFrame#decodeVerified}, without computing the checksum again,
   * and never remove an entry for damage. A frame of a newer format than this Cachet reads is
   * a miss and stays, for the upgraded processes sharing the store.
   *
   * @param namespace the memoized function's namespace (name, version and fingerprints)
   * @param digest the key's SHA-256, in hex
   */
  byte[] get(String namespace, String digest);

  /**
   * Stores a framed entry, replacing any previous one. Returns once the entry is durable
   * against a crash of this process.
   *
   * @param expiresAtMillis epoch millis after which the entry must not be returned, 0 for never
   * @param tags labels for {@link #removeTag}; possibly empty
   */
  void put(String namespace, String digest, byte[] frame, long expiresAtMillis, List<String> tags);

  /** Removes one entry; returns whether it was present. */
  boolean remove(String namespace, String digest);

  /** Removes every entry of a namespace; returns how many were removed. */
  long removeNamespace(String namespace);

  /** Removes every entry carrying {@code tag}; returns how many were removed. */
  long removeTag(String tag);

  /** Removes every entry. */
  void clear();

  /**
   * The digests of up to {@code limit} live entries of a namespace, in no particular order; used
   * to rebuild in-memory indexes (such as a semantic index) from a shared store.
   *
   * @throws UnsupportedOperationException when the store cannot list its entries
   */
  default List<String> digests(String namespace, int limit) {
    throw new UnsupportedOperationException(describe() + " cannot list the entries of a namespace");
  }

  /**
   * The bus that keeps other processes' local tiers coherent with this shared store, when it
   * has one (Redis does; a local disk store does not need one: its processes share the file).
   */
  default Optional<InvalidationBus> invalidationBus() {
    return Optional.empty();
  }

  /** Single-flight across the processes sharing this store, when it offers it. */
  default Optional<FleetFlight> fleetFlight() {
    return Optional.empty();
  }

  /**
   * Whether calls currently skip this store's backend because a circuit breaker opened after
   * repeated failures (they are then misses and dropped writes until it closes), for
   * monitoring. Never throws.
   *
   * @return false for a store without a circuit breaker
   */
  default boolean isCircuitOpen() {
    return false;
  }

  /** Counters and sizes, as far as the store keeps them (persisted stores: across processes). */
  StoreStats stats();

  /** Releases files and connections; idempotent. Never throws. */
  @Override
  void close();
}
