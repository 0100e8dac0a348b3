package dev.cachet.tier;

import java.util.List;

/**
 * A cache tier below memory (disk, Redis, ...): a map from (namespace, key digest) to a framed
 * entry ({@link dev.cachet.codec.EntryFrame#encode()} bytes). Every tier implements this one
 * narrow contract, so another engine is one class plus the shared contract tests.
 *
 * <p>Implementations are thread-safe, may be shared by several processes, and never throw on
 * {@code get}/{@code put}/{@code remove} because of the store's own trouble (full disk,
 * corruption, connection loss): they log once, count it in {@link StoreStats}, and behave as a
 * miss or a dropped write. They throw only for programming errors (null arguments, use after
 * close).
 */
public interface Store extends AutoCloseable {

  /** A short description for messages and statistics, such as {@code disk:/var/cache/app}. */
  String describe();

  /**
   * The framed entry stored under the key, or null when absent, expired, or unreadable (an
   * unreadable entry is removed and counted).
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

  /** Counters and sizes, as far as the store keeps them (persisted stores: across processes). */
  StoreStats stats();

  /** Releases files and connections; idempotent. Never throws. */
  @Override
  void close();
}
