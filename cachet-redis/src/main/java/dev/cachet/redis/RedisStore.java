package dev.cachet.redis;

import static dev.cachet.redis.RedisFailures.brief;
import static dev.cachet.redis.RedisFailures.isAuthFailure;
import static dev.cachet.redis.RedisFailures.unwrap;

import dev.cachet.codec.EntryFrame;
import dev.cachet.tier.FleetFlight;
import dev.cachet.tier.InvalidationBus;
import dev.cachet.tier.Store;
import dev.cachet.tier.StoreStats;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Store} on Redis, shared by every process that uses the same server and prefix:
 * standalone, Sentinel or Cluster, with ACL users, passwords and TLS from the URI
 * ({@link RedisStoreOptions#builder(String)}). Entries are the framed bytes of
 * {@link EntryFrame} (checksummed, as on disk) under {@code PREFIX:NAMESPACE:VERSION:DIGEST},
 * expiring with {@code PX}; the key scheme is specified in docs/REDIS-FORMAT.md.
 *
 * <pre>{@code
 * try (Cachet cachet = Cachet.builder().redis("redis://cache.internal:6379").build()) { ... }
 * // or, for full control:
 * RedisStore store = RedisStore.open(RedisStoreOptions.builder("rediss://app:pw@cache:6380")
 *     .prefix("billing").commandTimeout(Duration.ofMillis(300)).build());
 * }</pre>
 *
 * <p><b>Failures.</b> Redis being down, slow or restarting never reaches the caller: a read is a
 * miss, a write is dropped, a removal is remembered and replayed when Redis is back (reads it
 * may cover are misses meanwhile). Each episode is logged once, with the URI and the cause, and
 * counted in {@link #stats()}. After {@link RedisStoreOptions#failureThreshold()} consecutive
 * failures a circuit breaker opens: calls then skip Redis at once, without paying the command
 * timeout, until a probe succeeds (after a backoff of 1 s doubling to 30 s, or as soon as the
 * connection is re-established). In strict mode ({@link RedisStoreOptions#strict()}) failures
 * throw {@link RedisStoreException} instead.
 *
 * <p><b>Namespaces.</b> Each namespace has a version ({@code PREFIX:nsver:{NAMESPACE}}), read and
 * cached for {@link RedisStoreOptions#versionCacheTtl()}. {@link #removeNamespace} bumps it
 * ({@code INCR}, O(1): every old entry is unreachable at once), then reclaims the old entries'
 * memory with {@code SCAN}+{@code UNLINK} in batches, waiting at most
 * {@link RedisStoreOptions#sweepWait()} and letting the rest finish asynchronously on Lettuce's
 * threads. {@code KEYS} and {@code FLUSHALL} are never used.
 *
 * <p>Thread-safe; all operations share one multiplexed connection.
 */
public final class RedisStore implements Store {
  private static final System.Logger LOG = System.getLogger(RedisStore.class.getName());

  // This class checks arguments and the store's life cycle; each collaborator below owns one
  // kind of state (failure episode, namespace versions, tag sets, pending removals, ...).
  private final RedisStoreOptions options;
  private final RedisConnections connections;
  private final RedisKeys keys;
  private final CommandWaiter waiter;
  private final StoreCounters counters = new StoreCounters();
  private final CallGuard guard;
  private final NamespaceVersions versions;
  private final TagSets tags;
  private final KeySweeper sweeper;
  private final PendingReplay pending;
  private final EntryReads reads;
  private final EntryWrites writes;
  private final EntryRemovals removals;
  private volatile boolean closed;
  private volatile InvalidationBus bus;
  private volatile FleetFlight fleetFlight;
  private volatile AutoCloseable coherence;
  private volatile StoreLinks links;

  private RedisStore(RedisStoreOptions options) {
    this.options = options;
    this.keys = new RedisKeys(options.prefix());
    this.waiter = new CommandWaiter(options.commandTimeout());
    // A reconnection ends the open period early, so a restarted server is used again as soon
    // as Lettuce has reconnected instead of after the (growing) backoff.
    this.connections = new RedisConnections(options, this::reconnected);
    this.guard = new CallGuard(options, connections, counters, this::describe,
        this::replayPendingIfAny);
    this.versions = new NamespaceVersions(keys, waiter, options.versionCacheTtl());
    this.tags = new TagSets(keys, connections, waiter, options.scanCount());
    this.sweeper = new KeySweeper(keys, waiter, guard, options.scanCount(), () -> closed,
        this::describe);
    this.pending = new PendingReplay(connections, keys, waiter, guard, versions, tags, sweeper,
        this::describe);
    this.reads = new EntryReads(keys, waiter, guard, counters, versions, pending, sweeper,
        this::describe);
    this.writes = new EntryWrites(keys, waiter, guard, counters, versions, tags);
    this.removals = new EntryRemovals(keys, waiter, guard, versions, tags, sweeper, pending,
        options.sweepWait());
  }

  private void reconnected() {
    CallGuard g = guard;
    if (g != null) { // with shared client resources, events may come before the guard exists
      g.breaker().probeNow();
    }
  }

  private void replayPendingIfAny() {
    pending.replayIfAny();
  }

  /**
   * Opens a store for a URI with the default options (and those in the URI's query).
   *
   * @param uri such as {@code redis://127.0.0.1:6379}; see {@link RedisStoreOptions#builder}
   * @throws IllegalArgumentException when the URI is malformed, saying what is wrong
   * @throws RedisStoreException when the server refuses the credentials, or in strict mode when
   *     it cannot be reached
   */
  public static RedisStore open(String uri) {
    return open(RedisStoreOptions.fromUri(uri));
  }

  /**
   * Opens a store. Connects before returning (at most about the connect timeout); when Redis
   * cannot be reached the store still opens, unless strict: its calls are misses until Redis
   * answers, and it keeps retrying by itself.
   *
   * @throws RedisStoreException when the server refuses the credentials (retrying cannot fix
   *     that), or in strict mode when it cannot be reached
   */
  public static RedisStore open(RedisStoreOptions options) {
    Objects.requireNonNull(options, "options");
    RedisStore store = new RedisStore(options);
    CompletableFuture<Void> connecting = store.connections.connectAsync();
    try {
      connecting.get(options.connectTimeout().toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      store.close();
      throw new RedisStoreException("interrupted while connecting to " + store.describe(), e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? unwrap(e) : e;
      if (isAuthFailure(cause)) {
        store.close();
        throw new RedisStoreException("Redis at " + store.connections.describe() + " refused the "
            + "credentials (" + brief(cause) + "). Give the ACL user and password in the URI: "
            + "redis://user:password@host:6379 (or redis://:password@host:6379 without a user)",
            cause);
      }
      if (options.strict()) {
        store.close();
        throw new RedisStoreException("Cannot connect to Redis at " + store.connections.describe()
            + " ("
            + brief(cause) + "). Check that the server runs and that the URI's host, port, "
            + "password and TLS (rediss://) are right", cause);
      }
      store.guard.openedWithoutRedis(cause);
    }
    store.loadExtensions();
    return store;
  }

  private void loadExtensions() {
    for (RedisStoreExtension extension : ServiceLoader.load(RedisStoreExtension.class,
        RedisStore.class.getClassLoader())) {
      try {
        extension.extend(this);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, describe() + ": the extension " + extension.getClass().getName()
            + " failed to attach; continuing without it", e);
      }
    }
  }

  @Override
  public String describe() {
    return "redis:" + connections.describe() + " (prefix " + options.prefix() + ")";
  }

  /** The options this store was opened with. */
  public RedisStoreOptions options() {
    return options;
  }

  /** Whether the circuit breaker is open: calls currently skip Redis. */
  @Override
  public boolean isCircuitOpen() {
    return guard.isOpen();
  }

  /** Whether the store is connected to a Redis Cluster (known once connected). */
  public boolean isCluster() {
    return connections.isCluster();
  }
  // ---------------------------------------------------------------------------------------
  // Store

  @Override
  public byte[] get(String namespace, String digest) {
    checkKey(namespace, digest);
    ensureOpen();
    return reads.get(namespace, digest);
  }

  /**
   * Reads several entries of one namespace in one pipelined round trip (one {@code GET} per
   * key, sent back to back; on a Cluster each goes to its slot's master). Missing, expired and
   * unreadable entries are absent from the result. Fails like {@link #get}: never throws for
   * Redis trouble unless strict.
   *
   * @return digest to framed entry, in the order asked
   */
  public Map<String, byte[]> getAll(String namespace, Collection<String> digests) {
    Objects.requireNonNull(namespace, "namespace");
    List<String> wanted = List.copyOf(new LinkedHashSet<>(digests));
    wanted.forEach(d -> checkKey(namespace, d));
    ensureOpen();
    Map<String, byte[]> out = new LinkedHashMap<>();
    if (!wanted.isEmpty()) {
      reads.getAll(namespace, wanted, out);
    }
    return out;
  }

  @Override
  public void put(String namespace, String digest, byte[] frame, long expiresAtMillis,
      List<String> tags) {
    checkKey(namespace, digest);
    Objects.requireNonNull(frame, "frame");
    List<String> tagList = List.copyOf(tags);
    if (expiresAtMillis < 0) {
      throw new IllegalArgumentException("expiresAtMillis is epoch millis or 0 for never, got "
          + expiresAtMillis);
    }
    putAll(namespace, Map.of(digest, frame), expiresAtMillis, tagList);
  }

  /**
   * Stores several entries of one namespace, with the same expiry and tags, in one pipelined
   * round trip ({@code SET ... PX} per entry plus one tag-index update per entry and tag).
   * Like {@link #put}: a write Redis cannot take is dropped (counted), unless strict.
   *
   * @param frames digest to framed entry ({@link EntryFrame#encode()})
   * @param expiresAtMillis epoch millis after which the entries must not be returned, 0 for never
   * @param tags labels for {@link #removeTag}; possibly empty
   */
  public void putAll(String namespace, Map<String, byte[]> frames, long expiresAtMillis,
      List<String> tags) {
    Objects.requireNonNull(namespace, "namespace");
    frames.forEach((d, f) -> {
      checkKey(namespace, d);
      Objects.requireNonNull(f, "frame");
    });
    Set<String> tagSet = new LinkedHashSet<>(tags);
    tagSet.forEach(t -> Objects.requireNonNull(t, "tag"));
    if (expiresAtMillis < 0) {
      throw new IllegalArgumentException("expiresAtMillis is epoch millis or 0 for never, got "
          + expiresAtMillis);
    }
    ensureOpen();
    if (frames.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    if (expiresAtMillis != 0 && expiresAtMillis <= now) {
      // Storing it would only hide it from reads; dropping the old value keeps put's meaning.
      frames.keySet().forEach(d -> remove(namespace, d));
      return;
    }
    // Redis takes a lifetime, not a deadline: 0 (never) stays 0.
    writes.putAll(namespace, frames, expiresAtMillis == 0 ? 0 : expiresAtMillis - now, tagSet);
  }

  @Override
  public boolean remove(String namespace, String digest) {
    checkKey(namespace, digest);
    ensureOpen();
    return removals.remove(namespace, digest);
  }

  /**
   * Bumps the namespace's version, so that every entry of the old one is unreachable at once,
   * then reclaims their memory with {@code SCAN MATCH PREFIX:NAMESPACE:*} and {@code UNLINK} in
   * batches (on a Cluster every master is scanned). Waits for that sweep at most
   * {@link RedisStoreOptions#sweepWait()}; the rest continues asynchronously.
   *
   * @return the number of old entries unlinked before returning (more may follow)
   */
  @Override
  public long removeNamespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    ensureOpen();
    return removals.removeNamespace(namespace);
  }

  /**
   * Removes every entry carrying {@code tag}: the tag's set is renamed away (so entries tagged
   * meanwhile start a new set), read with {@code SSCAN} and its members unlinked in batches
   * (split per slot on a Cluster), then the set itself is unlinked.
   */
  @Override
  public long removeTag(String tag) {
    Objects.requireNonNull(tag, "tag");
    ensureOpen();
    return removals.removeTag(tag);
  }

  /**
   * Removes every key of this store's prefix (entries, namespace versions, tag sets) with
   * {@code SCAN}+{@code UNLINK} in batches over every master, never {@code FLUSHALL}: other
   * data in the same database, and the invalidation log and locks, are left alone. Waits
   * until the scan is complete.
   */
  @Override
  public void clear() {
    ensureOpen();
    removals.clear();
  }

  /**
   * Lists digests of the namespace's current version with {@code SCAN MATCH} (every master on
   * a Cluster). Costs a scan of the database: meant for rebuilding indexes, not for hot paths.
   * On Redis trouble returns what was found so far (possibly nothing), unless strict.
   */
  @Override
  public List<String> digests(String namespace, int limit) {
    Objects.requireNonNull(namespace, "namespace");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    ensureOpen();
    List<String> out = new ArrayList<>();
    if (limit == 0) {
      return out;
    }
    reads.digests(namespace, limit, out);
    return out;
  }

  /**
   * Counts the live entries of the namespace's current version with a {@code SCAN} (exact at
   * the time of each scan step; entries written or expiring during the scan may or may not be
   * counted). Costs a scan of the database. Returns -1 when Redis cannot be reached (unless
   * strict).
   */
  public long countEntries(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    ensureOpen();
    return reads.countEntries(namespace);
  }

  /**
   * Counters of this process (hits, misses, writes, corruptions, failures: a call skipped while
   * the breaker is open counts as a failure, and a skipped read also as a miss). {@code entries}
   * is the number of keys in the Redis database ({@code DBSIZE}, summed over the masters of a
   * Cluster): an upper bound that includes other applications' keys and this store's version
   * and tag keys, or -1 when Redis cannot be asked; use {@link #countEntries} for one
   * namespace. {@code bytes}, evictions and expirations are not known (Redis evicts and expires
   * by itself) and are 0.
   */
  @Override
  public StoreStats stats() {
    long entries = -1;
    RedisClusterAsyncCommands<byte[], byte[]> cmd = connections.commands();
    if (!closed && cmd != null && !guard.isOpen()) {
      try {
        entries = waiter.await(cmd.dbsize());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // Statistics are best effort; the failure shows in the next real operation.
      }
    }
    return counters.stats(entries);
  }

  // Package-private: stats() folds these into failures; tests tell a call the open breaker
  // refused at once from one that waited for Redis without timing either.
  long skippedCalls() {
    return counters.skipped.sum();
  }

  /** Empty until the invalidation bus is attached by its extension. */
  @Override
  public Optional<InvalidationBus> invalidationBus() {
    return Optional.ofNullable(bus);
  }

  /** Empty until the fleet single-flight is attached by its extension. */
  @Override
  public Optional<FleetFlight> fleetFlight() {
    return Optional.ofNullable(fleetFlight);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    AutoCloseable c = coherence;
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.log(Level.DEBUG, describe() + ": closing the coherence services: " + e);
      }
    }
    StoreLinks l = links;
    if (l != null) {
      l.shutdown();
    }
    connections.close();
  }

  @Override
  public String toString() {
    return "RedisStore[" + describe() + ", breaker " + guard + "]";
  }

  // ---------------------------------------------------------------------------------------
  // Package-private hooks for the invalidation bus and fleet single-flight of this module.

  /** The Lettuce client, connection and codec this store uses. */
  RedisConnections connections() {
    return connections;
  }

  /**
   * This store's connections as the coherence classes' {@link RedisLinks}: a shared
   * String-codec command connection and new pub/sub connections, on the same client, closed
   * with the store.
   *
   * @throws RedisException when the store has never been connected (Redis was down at open)
   */
  RedisLinks links() {
    synchronized (this) {
      if (links == null) {
        links = new StoreLinks(connections);
      }
      return links;
    }
  }

  /** The key scheme. */
  RedisKeys keys() {
    return keys;
  }

  /**
   * Makes {@link #invalidationBus()} and {@link #fleetFlight()} return these; {@code closer}
   * (may be null) is closed before the store's connections.
   */
  void attachCoherence(InvalidationBus bus, FleetFlight fleetFlight, AutoCloseable closer) {
    this.bus = bus;
    this.fleetFlight = fleetFlight;
    this.coherence = closer;
  }

  /**
   * Forgets the cached version of a namespace, so the next call reads it again: call it when
   * another process's {@code removeNamespace} arrives on the bus.
   */
  void forgetNamespaceVersion(String namespace) {
    versions.forget(namespace);
  }

  /** Forgets every cached namespace version (after a {@code clear()} elsewhere, a reconnect). */
  void forgetNamespaceVersions() {
    versions.forgetAll();
  }

  private static void checkKey(String namespace, String digest) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(digest, "digest");
    if (!RedisKeys.isValidDigest(digest)) {
      throw new IllegalArgumentException("A digest is a key's hex SHA-256 (letters, digits, "
          + "'-' or '_'), got '" + digest + "'");
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("The Redis store " + describe() + " is closed");
    }
  }
}
