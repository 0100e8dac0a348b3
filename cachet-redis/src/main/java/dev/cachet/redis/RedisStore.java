package dev.cachet.redis;

import dev.cachet.codec.CorruptEntryException;
import dev.cachet.codec.EntryFrame;
import dev.cachet.tier.FleetFlight;
import dev.cachet.tier.InvalidationBus;
import dev.cachet.tier.Store;
import dev.cachet.tier.StoreStats;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

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
  /**
   * Adds an entry key to a tag's set and keeps the set alive as long as its longest-lived
   * entry: no expiry when an entry never expires; otherwise extended, never shortened. A new
   * set (one member) takes the entry's lifetime. ARGV: entry key, lifetime in ms (0 = none).
   */
  static final String TAG_SCRIPT = """
      local added = redis.call('SADD', KEYS[1], ARGV[1])
      local ttl = tonumber(ARGV[2])
      if ttl == 0 then
        redis.call('PERSIST', KEYS[1])
        return added
      end
      local current = redis.call('PTTL', KEYS[1])
      if current == -1 then
        if redis.call('SCARD', KEYS[1]) == 1 then
          redis.call('PEXPIRE', KEYS[1], ttl)
        end
      elseif current < ttl then
        redis.call('PEXPIRE', KEYS[1], ttl)
      end
      return added
      """;
  private static final String TAG_SCRIPT_SHA = sha1(TAG_SCRIPT);
  /** Removals remembered while Redis is unreachable before they fold into namespaces. */
  private static final int MAX_PENDING_KEYS = 10_000;

  private final RedisStoreOptions options;
  private final RedisConnections connections;
  private final RedisKeys keys;
  private final CircuitBreaker breaker;
  private final PendingInvalidations pending = new PendingInvalidations(MAX_PENDING_KEYS);
  private final ReentrantLock replayLock = new ReentrantLock();
  private final long timeoutNanos;
  private final long versionTtlNanos;
  private final Map<String, CachedVersion> versions = new ConcurrentHashMap<>();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final LongAdder corruptions = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final Set<String> loggedOnce = ConcurrentHashMap.newKeySet();
  /**
   * Whether the current failure episode was logged: reset when the breaker closes; an episode
   * that never opens the breaker (isolated failures) is logged again at most once a minute.
   */
  private volatile boolean episodeLogged;
  private volatile long episodeLoggedAt;
  private volatile Throwable lastFailure;
  private volatile boolean closed;
  private volatile InvalidationBus bus;
  private volatile FleetFlight fleetFlight;
  private volatile AutoCloseable coherence;
  private volatile StoreLinks links;

  private record CachedVersion(long value, long readAtNanos) {
  }

  private RedisStore(RedisStoreOptions options) {
    this.options = options;
    this.keys = new RedisKeys(options.prefix());
    this.timeoutNanos = options.commandTimeout().toNanos();
    this.versionTtlNanos = options.versionCacheTtl().toNanos();
    this.breaker = new CircuitBreaker(options.failureThreshold(),
        options.openBackoff().toNanos(), options.maxOpenBackoff().toNanos(), System::nanoTime,
        new CircuitBreaker.Listener() {
          @Override
          public void opened(Throwable cause, long forMillis) {
            LOG.log(Level.WARNING, describe() + ": circuit breaker open for " + forMillis
                + " ms (last failure: " + brief(cause) + "); calls skip Redis: reads are "
                + "misses and writes are dropped until it answers again");
          }

          @Override
          public void closed(long openMillis) {
            episodeLogged = false;
            LOG.log(Level.INFO, describe() + ": Redis answers again; circuit breaker closed "
                + "after " + openMillis + " ms");
          }
        });
    // A reconnection ends the open period early, so a restarted server is used again as soon
    // as Lettuce has reconnected instead of after the (growing) backoff.
    this.connections = new RedisConnections(options, breaker::probeNow);
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
      store.episodeLogged = true;
      store.episodeLoggedAt = System.nanoTime();
      store.lastFailure = cause;
      LOG.log(Level.WARNING, store.describe() + ": cannot connect (" + brief(cause) + "); "
          + "opening without Redis: reads are misses and writes are dropped until it can be "
          + "reached; retrying by itself");
      store.breaker.openNow(cause);
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
    return breaker.isOpen();
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
    if (pending.covers(namespace, digest) && !replayPending()) {
      misses.increment();
      return null;
    }
    RedisClusterAsyncCommands<byte[], byte[]> cmd = usable("get");
    if (cmd == null) {
      misses.increment();
      return null;
    }
    byte[] key = null;
    try {
      long version = version(namespace, cmd);
      key = keys.entry(namespace, version, digest);
      byte[] bytes = await(cmd.get(key));
      succeeded();
      return bytes == null ? miss() : checked(cmd, key, bytes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return interrupted("get");
    } catch (Exception e) {
      failed("get", e);
      return miss();
    }
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
    if (wanted.isEmpty()) {
      return out;
    }
    List<String> ask = new ArrayList<>();
    for (String d : wanted) {
      if (pending.covers(namespace, d) && !replayPending()) {
        misses.increment();
      } else {
        ask.add(d);
      }
    }
    RedisClusterAsyncCommands<byte[], byte[]> cmd = ask.isEmpty() ? null : usable("getAll");
    if (cmd == null) {
      misses.add(ask.size());
      return out;
    }
    try {
      long version = version(namespace, cmd);
      List<byte[]> keyList = new ArrayList<>(ask.size());
      List<RedisFuture<byte[]>> futures = new ArrayList<>(ask.size());
      for (String d : ask) {
        byte[] key = keys.entry(namespace, version, d);
        keyList.add(key);
        futures.add(cmd.get(key));
      }
      List<byte[]> values = new ArrayList<>(ask.size());
      for (RedisFuture<byte[]> f : futures) {
        values.add(await(f));
      }
      succeeded();
      for (int i = 0; i < ask.size(); i++) {
        byte[] bytes = values.get(i);
        byte[] ok = bytes == null ? miss() : checked(cmd, keyList.get(i), bytes);
        if (ok != null) {
          out.put(ask.get(i), ok);
        }
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      interrupted("getAll");
    } catch (Exception e) {
      failed("getAll", e);
    }
    misses.add(ask.size() - out.size());
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
    RedisClusterAsyncCommands<byte[], byte[]> cmd = usable("put");
    if (cmd == null) {
      return;
    }
    long ttl = expiresAtMillis == 0 ? 0 : expiresAtMillis - now;
    byte[] ttlArg = Long.toString(ttl).getBytes(StandardCharsets.US_ASCII);
    try {
      long version = version(namespace, cmd);
      List<RedisFuture<?>> sets = new ArrayList<>();
      List<byte[][]> tagCalls = new ArrayList<>();
      List<RedisFuture<Long>> tagFutures = new ArrayList<>();
      for (Map.Entry<String, byte[]> e : frames.entrySet()) {
        byte[] key = keys.entry(namespace, version, e.getKey());
        sets.add(ttl > 0 ? cmd.set(key, e.getValue(), SetArgs.Builder.px(ttl))
            : cmd.set(key, e.getValue()));
        for (String tag : tagSet) {
          byte[][] call = {keys.tag(tag), key};
          tagCalls.add(call);
          tagFutures.add(cmd.evalsha(TAG_SCRIPT_SHA, ScriptOutputType.INTEGER,
              new byte[][] {call[0]}, call[1], ttlArg));
        }
      }
      for (RedisFuture<?> f : sets) {
        await(f);
      }
      for (int i = 0; i < tagFutures.size(); i++) {
        try {
          await(tagFutures.get(i));
        } catch (RedisCommandExecutionException e) {
          if (!String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
            throw e;
          }
          // First use on this server (or after SCRIPT FLUSH / a restart): send the body once.
          byte[][] call = tagCalls.get(i);
          await(cmd.eval(TAG_SCRIPT, ScriptOutputType.INTEGER, new byte[][] {call[0]}, call[1],
              ttlArg));
        }
      }
      writes.add(frames.size());
      succeeded();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      interrupted("put");
    } catch (Exception e) {
      failed("put", e);
    }
  }

  @Override
  public boolean remove(String namespace, String digest) {
    checkKey(namespace, digest);
    ensureOpen();
    RedisClusterAsyncCommands<byte[], byte[]> cmd = usable("remove");
    if (cmd == null) {
      pending.key(namespace, digest);
      return false;
    }
    try {
      long version = version(namespace, cmd);
      long n = await(cmd.unlink(keys.entry(namespace, version, digest)));
      succeeded();
      return n > 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.key(namespace, digest);
      interrupted("remove");
      return false;
    } catch (Exception e) {
      pending.key(namespace, digest);
      failed("remove", e);
      return false;
    }
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
    RedisClusterAsyncCommands<byte[], byte[]> cmd = usable("removeNamespace");
    if (cmd == null) {
      pending.namespace(namespace);
      versions.remove(namespace);
      return 0;
    }
    long version;
    try {
      version = bumpVersion(namespace, cmd);
      succeeded();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.namespace(namespace);
      interrupted("removeNamespace");
      return 0;
    } catch (Exception e) {
      pending.namespace(namespace);
      versions.remove(namespace);
      failed("removeNamespace", e);
      return 0;
    }
    byte[] nsPrefix = keys.namespacePrefix(namespace);
    Sweep sweep = sweep(cmd, keys.namespacePattern(namespace), key -> {
      long v = keys.versionOf(key, nsPrefix);
      return v >= 0 && v != version;
    });
    return waitFor(sweep, options.sweepWait(), "removeNamespace");
  }

  private long bumpVersion(String namespace, RedisClusterAsyncCommands<byte[], byte[]> cmd)
      throws Exception {
    byte[] vkey = keys.version(namespace);
    // A missing version starts from the clock, not from 0, so a version never comes back
    // after the key was lost (a flush, an eviction): old entries can never be read again.
    RedisFuture<String> init = cmd.set(vkey, clockVersion(), SetArgs.Builder.nx());
    RedisFuture<Long> incr = cmd.incr(vkey);
    await(init);
    long version = await(incr);
    versions.put(namespace, new CachedVersion(version, System.nanoTime()));
    return version;
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
    RedisClusterAsyncCommands<byte[], byte[]> cmd = usable("removeTag");
    if (cmd == null) {
      pending.tag(tag);
      return 0;
    }
    try {
      long n = removeTag(cmd, tag);
      succeeded();
      return n;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.tag(tag);
      interrupted("removeTag");
      return 0;
    } catch (Exception e) {
      pending.tag(tag);
      failed("removeTag", e);
      return 0;
    }
  }

  private long removeTag(RedisClusterAsyncCommands<byte[], byte[]> cmd, String tag)
      throws Exception {
    byte[] tagKey = keys.tag(tag);
    byte[] work = tagKey;
    byte[] renamed = concat(tagKey,
        (":removing:" + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII));
    // RENAME needs both keys in one slot: true when the tag forms a hash tag (not empty).
    if (!connections.isCluster() || SlotHash.getSlot(renamed) == SlotHash.getSlot(tagKey)) {
      try {
        await(cmd.rename(tagKey, renamed));
        work = renamed;
      } catch (RedisCommandExecutionException e) {
        if (String.valueOf(e.getMessage()).contains("no such key")) {
          return 0;
        }
        throw e;
      }
    }
    long removed = 0;
    ScanArgs args = ScanArgs.Builder.limit(options.scanCount());
    ValueScanCursor<byte[]> cursor = null;
    do {
      cursor = await(cursor == null ? cmd.sscan(work, args) : cmd.sscan(work, cursor, args));
      List<byte[]> members = cursor.getValues();
      if (!members.isEmpty()) {
        removed += await(cmd.unlink(members.toArray(new byte[0][])));
      }
    } while (!cursor.isFinished());
    await(cmd.unlink(work));
    return removed;
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
    versions.clear();
    RedisClusterAsyncCommands<byte[], byte[]> cmd = usable("clear");
    if (cmd == null) {
      pending.everything();
      return;
    }
    Sweep sweep = sweep(cmd, keys.allPattern(), keys::isOwnKey);
    waitFor(sweep, Duration.ofMinutes(10), "clear");
    versions.clear();
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
    RedisClusterAsyncCommands<byte[], byte[]> cmd = usable("digests");
    if (cmd == null) {
      return out;
    }
    try {
      long version = version(namespace, cmd);
      byte[] versionPrefix = keys.versionPrefix(namespace, version);
      scanKeys(cmd, keys.versionPattern(namespace, version), key -> {
        String d = RedisKeys.digestOf(key, versionPrefix);
        if (d != null) {
          out.add(d);
        }
        return out.size() < limit;
      });
      succeeded();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      interrupted("digests");
    } catch (Exception e) {
      failed("digests", e);
    }
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
    RedisClusterAsyncCommands<byte[], byte[]> cmd = usable("countEntries");
    if (cmd == null) {
      return -1;
    }
    try {
      long version = version(namespace, cmd);
      byte[] versionPrefix = keys.versionPrefix(namespace, version);
      long[] count = {0};
      scanKeys(cmd, keys.versionPattern(namespace, version), key -> {
        if (RedisKeys.digestOf(key, versionPrefix) != null) {
          count[0]++;
        }
        return true;
      });
      succeeded();
      return count[0];
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      interrupted("countEntries");
      return -1;
    } catch (Exception e) {
      failed("countEntries", e);
      return -1;
    }
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
    if (!closed && cmd != null && !breaker.isOpen()) {
      try {
        entries = await(cmd.dbsize());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // Statistics are best effort; the failure shows in the next real operation.
      }
    }
    return new StoreStats(entries, 0, hits.sum(), misses.sum(), writes.sum(), 0, 0,
        corruptions.sum(), failures.sum() + skipped.sum());
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
    return "RedisStore[" + describe() + ", breaker " + breaker + "]";
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
    versions.remove(namespace);
  }

  /** Forgets every cached namespace version (after a {@code clear()} elsewhere, a reconnect). */
  void forgetNamespaceVersions() {
    versions.clear();
  }

  // ---------------------------------------------------------------------------------------
  // Internals

  /** The commands to use now, or null when the breaker refuses the call (strict: throws). */
  private RedisClusterAsyncCommands<byte[], byte[]> usable(String operation) {
    if (!breaker.allow()) {
      skipped.increment();
      if (options.strict()) {
        throw new RedisStoreException(describe() + ": " + operation + " refused: the circuit "
            + "breaker is open after repeated failures (last: " + brief(lastFailure) + ")",
            lastFailure);
      }
      return null;
    }
    RedisClusterAsyncCommands<byte[], byte[]> cmd = connections.commands();
    if (cmd == null) {
      // Never connected (Redis was down at open): this call is the probe; connecting happens
      // on Lettuce's threads and its outcome closes or re-opens the breaker.
      skipped.increment();
      connections.connectAsync().whenComplete((ok, error) -> {
        if (error == null) {
          breaker.success();
        } else {
          lastFailure = unwrap(error);
          breaker.failure(lastFailure);
        }
      });
      if (options.strict()) {
        throw new RedisStoreException(describe() + ": " + operation + " refused: not "
            + "connected (last: " + brief(lastFailure) + ")", lastFailure);
      }
      return null;
    }
    return cmd;
  }

  private long version(String namespace, RedisClusterAsyncCommands<byte[], byte[]> cmd)
      throws Exception {
    CachedVersion cached = versions.get(namespace);
    long now = System.nanoTime();
    if (cached != null && now - cached.readAtNanos < versionTtlNanos) {
      return cached.value;
    }
    byte[] vkey = keys.version(namespace);
    byte[] raw = await(cmd.get(vkey));
    if (raw == null) {
      await(cmd.set(vkey, clockVersion(), SetArgs.Builder.nx()));
      raw = await(cmd.get(vkey));
      if (raw == null) {
        throw new RedisException("the namespace version key vanished while being created");
      }
    }
    long version;
    try {
      version = Long.parseLong(new String(raw, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      throw new RedisException("the namespace version key " + new String(vkey,
          StandardCharsets.UTF_8) + " does not hold a number; something else wrote it");
    }
    versions.put(namespace, new CachedVersion(version, now));
    return version;
  }

  private static byte[] clockVersion() {
    return Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII);
  }

  /** The frame if it is readable and live; otherwise a miss (a damaged entry is unlinked). */
  private byte[] checked(RedisClusterAsyncCommands<byte[], byte[]> cmd, byte[] key,
      byte[] bytes) {
    try {
      EntryFrame frame = EntryFrame.decode(bytes);
      if (frame.isExpired(System.currentTimeMillis())) {
        return miss();
      }
      hits.increment();
      return bytes;
    } catch (CorruptEntryException e) {
      if (e.reason() == CorruptEntryException.Reason.NEWER_FORMAT) {
        // Left for the upgraded processes that share this store (docs/ENTRY-FORMAT.md).
        logOnce("newer-format", Level.WARNING, describe() + ": " + e.getMessage(), null);
        return miss();
      }
      corruptions.increment();
      logOnce("corrupt", Level.WARNING, describe() + ": removed an unreadable entry "
          + new String(key, StandardCharsets.UTF_8) + " (" + e.getMessage() + "); further "
          + "ones are only counted", null);
      cmd.unlink(key); // fire and forget: a failure leaves it for the next reader
      return miss();
    }
  }

  private byte[] miss() {
    misses.increment();
    return null;
  }

  private void succeeded() {
    breaker.success();
    if (!pending.isEmpty()) {
      replayPending();
    }
  }

  private void failed(String operation, Exception e) {
    Throwable cause = unwrap(e);
    failures.increment();
    lastFailure = cause;
    if (isAvailabilityFailure(cause)) {
      breaker.failure(cause);
    } else {
      // Redis answered (with an error about this one command): it is available.
      breaker.success();
    }
    long now = System.nanoTime();
    if (!episodeLogged || now - episodeLoggedAt > 60_000_000_000L) {
      episodeLogged = true;
      episodeLoggedAt = now;
      LOG.log(Level.WARNING, describe() + ": " + operation + " failed (" + brief(cause)
          + "); treated as a miss or a dropped write, further failures are counted until "
          + "Redis answers again");
    }
    if (options.strict()) {
      throw new RedisStoreException(describe() + ": " + operation + " failed: " + brief(cause),
          cause);
    }
  }

  private byte[] interrupted(String operation) {
    misses.increment();
    if (breaker.isOpen()) {
      breaker.probeAbandoned(); // this call may have been the probe; let another one try
    }
    if (options.strict()) {
      throw new RedisStoreException(describe() + ": " + operation + " interrupted", null);
    }
    return null;
  }

  /**
   * Replays the invalidations made while Redis was unreachable; returns whether none is left.
   * One thread replays; the others see them still pending (their reads stay misses).
   */
  private boolean replayPending() {
    if (pending.isEmpty()) {
      return true;
    }
    if (connections.commands() == null || !replayLock.tryLock()) {
      return false;
    }
    // While the breaker is open the replay is its probe; reads it covers stay misses meanwhile.
    if (breaker.isOpen() && !breaker.allow()) {
      replayLock.unlock();
      return false;
    }
    try {
      PendingInvalidations.Snapshot todo = pending.snapshot();
      if (todo.isEmpty()) {
        breaker.probeAbandoned();
        return true;
      }
      RedisClusterAsyncCommands<byte[], byte[]> cmd = connections.commands();
      if (todo.all()) {
        Sweep sweep = sweep(cmd, keys.allPattern(), keys::isOwnKey);
        sweep.done.get(10, TimeUnit.MINUTES);
        versions.clear();
      }
      for (String ns : todo.namespaces()) {
        long version = bumpVersion(ns, cmd);
        byte[] nsPrefix = keys.namespacePrefix(ns);
        // Unreachable already; reclaimed in the background.
        sweep(cmd, keys.namespacePattern(ns), key -> {
          long v = keys.versionOf(key, nsPrefix);
          return v >= 0 && v != version;
        });
      }
      for (String tag : todo.tags()) {
        removeTag(cmd, tag);
      }
      for (Map.Entry<String, Set<String>> e : todo.keys().entrySet()) {
        long version = version(e.getKey(), cmd);
        List<byte[]> doomed = new ArrayList<>();
        for (String d : e.getValue()) {
          doomed.add(keys.entry(e.getKey(), version, d));
        }
        await(cmd.unlink(doomed.toArray(new byte[0][])));
      }
      pending.replayed(todo);
      breaker.success();
      LOG.log(Level.INFO, describe() + ": replayed the invalidations made while Redis was "
          + "unreachable");
      return pending.isEmpty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      breaker.probeAbandoned();
      return false;
    } catch (Exception e) {
      Throwable cause = unwrap(e);
      failures.increment();
      lastFailure = cause;
      if (isAvailabilityFailure(cause)) {
        breaker.failure(cause);
      } else {
        breaker.probeAbandoned();
      }
      return false;
    } finally {
      replayLock.unlock();
    }
  }

  /** A SCAN+UNLINK in batches running on Lettuce's threads. */
  private static final class Sweep {
    final CompletableFuture<Long> done = new CompletableFuture<>();
    final AtomicLong removed = new AtomicLong();
  }

  private Sweep sweep(RedisClusterAsyncCommands<byte[], byte[]> cmd, byte[] pattern,
      Predicate<byte[]> doomed) {
    Sweep sweep = new Sweep();
    ScanArgs args = ScanArgs.Builder.matches(pattern).limit(options.scanCount());
    sweepStep(cmd, null, args, doomed, sweep);
    return sweep;
  }

  private void sweepStep(RedisClusterAsyncCommands<byte[], byte[]> cmd, ScanCursor cursor,
      ScanArgs args, Predicate<byte[]> doomed, Sweep sweep) {
    if (closed) {
      sweep.done.completeExceptionally(new RedisException("store closed during a sweep"));
      return;
    }
    RedisFuture<KeyScanCursor<byte[]>> scan;
    try {
      scan = cursor == null ? cmd.scan(args) : cmd.scan(cursor, args);
    } catch (RuntimeException e) {
      sweep.done.completeExceptionally(e);
      return;
    }
    scan.whenComplete((page, error) -> {
      if (error != null) {
        sweep.done.completeExceptionally(error);
        return;
      }
      List<byte[]> victims = new ArrayList<>();
      for (byte[] key : page.getKeys()) {
        if (doomed.test(key)) {
          victims.add(key);
        }
      }
      CompletableFuture<Long> unlinked = victims.isEmpty()
          ? CompletableFuture.completedFuture(0L)
          : cmd.unlink(victims.toArray(new byte[0][])).toCompletableFuture();
      unlinked.whenComplete((n, error2) -> {
        if (error2 != null) {
          sweep.done.completeExceptionally(error2);
          return;
        }
        sweep.removed.addAndGet(n);
        if (page.isFinished()) {
          sweep.done.complete(sweep.removed.get());
        } else {
          sweepStep(cmd, page, args, doomed, sweep);
        }
      });
    });
  }

  private long waitFor(Sweep sweep, Duration wait, String operation) {
    try {
      return sweep.done.get(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      sweep.done.whenComplete((n, error) -> {
        if (error != null) {
          LOG.log(Level.DEBUG, describe() + ": " + operation + " sweep stopped: " + error);
        }
      });
      return sweep.removed.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return sweep.removed.get();
    } catch (ExecutionException e) {
      // Old entries are unreachable already (the version changed); only memory is not yet
      // reclaimed. Their TTL, or the next sweep of this namespace, reclaims it.
      failed(operation + " (reclaiming old keys)", e);
      return sweep.removed.get();
    }
  }

  /** Scans keys matching {@code pattern} until done or {@code visitor} returns false. */
  private void scanKeys(RedisClusterAsyncCommands<byte[], byte[]> cmd, byte[] pattern,
      Predicate<byte[]> visitor) throws Exception {
    ScanArgs args = ScanArgs.Builder.matches(pattern).limit(options.scanCount());
    KeyScanCursor<byte[]> page = null;
    do {
      page = await(page == null ? cmd.scan(args) : cmd.scan(page, args));
      for (byte[] key : page.getKeys()) {
        if (!visitor.test(key)) {
          return;
        }
      }
    } while (!page.isFinished());
  }

  /**
   * Waits for a command. Lettuce times commands out itself (TimeoutOptions); the bound here
   * is a backstop so a caller can never wait much longer than the command timeout.
   */
  private <T> T await(RedisFuture<T> future) throws Exception {
    try {
      return ((Future<T>) future).get(timeoutNanos + 50_000_000L, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw e;
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new RedisCommandTimeoutException("Command timed out after "
          + options.commandTimeout().toMillis() + " ms");
    } catch (CancellationException e) {
      throw new RedisCommandTimeoutException("Command cancelled (timed out after "
          + options.commandTimeout().toMillis() + " ms)");
    }
  }

  /** Failures that say Redis is unavailable (not a bad reply to one command). */
  private static boolean isAvailabilityFailure(Throwable cause) {
    if (cause instanceof RedisCommandExecutionException) {
      String m = String.valueOf(cause.getMessage());
      return m.startsWith("LOADING") || m.startsWith("BUSY") || m.startsWith("MASTERDOWN")
          || m.startsWith("CLUSTERDOWN") || m.startsWith("TRYAGAIN") || m.startsWith("READONLY")
          || m.startsWith("NOAUTH") || m.startsWith("WRONGPASS") || m.startsWith("OOM");
    }
    return true;
  }

  private static boolean isAuthFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("WRONGPASS") || m.contains("NOAUTH") || m.contains("invalid password")
          || m.contains("invalid username-password")) {
        return true;
      }
    }
    return false;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String brief(Throwable t) {
    if (t == null) {
      return "unknown";
    }
    Throwable root = t;
    String message = t.getMessage();
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String rootText = root == t ? "" : "; cause: " + root.getClass().getSimpleName() + ": "
        + root.getMessage();
    return t.getClass().getSimpleName() + ": " + message + rootText;
  }

  private void logOnce(String key, Level level, String message, Throwable cause) {
    if (loggedOnce.add(key)) {
      LOG.log(level, message, cause);
    }
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

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
          .digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }
}
