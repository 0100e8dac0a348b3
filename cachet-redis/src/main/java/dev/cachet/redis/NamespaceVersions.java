package dev.cachet.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The version of each namespace ({@code PREFIX:nsver:{NAMESPACE}}), which every entry key
 * embeds, cached for {@link RedisStoreOptions#versionCacheTtl()} so a read costs one round
 * trip, not two. Bumping a version makes every entry of the old one unreachable at once.
 */
final class NamespaceVersions {
  private final RedisKeys keys;
  private final CommandWaiter waiter;
  private final long ttlNanos;
  private final Map<String, Cached> versions = new ConcurrentHashMap<>();

  private record Cached(long value, long readAtNanos) {
  }

  NamespaceVersions(RedisKeys keys, CommandWaiter waiter, Duration ttl) {
    this.keys = keys;
    this.waiter = waiter;
    this.ttlNanos = ttl.toNanos();
  }

  /**
   * The namespace's current version for a read, or -1 when it has none: nothing was ever
   * written to it (or its version key was lost, which makes its entries unreachable anyway).
   * Unlike {@link #current}, never creates the key, so lookups of namespaces nobody wrote
   * leave nothing behind in Redis and cost no scan.
   */
  long existing(String namespace, RedisClusterAsyncCommands<byte[], byte[]> cmd)
      throws Exception {
    Cached cached = versions.get(namespace);
    long now = System.nanoTime();
    if (cached != null && now - cached.readAtNanos < ttlNanos) {
      return cached.value;
    }
    byte[] raw = waiter.await(cmd.get(keys.version(namespace)));
    if (raw == null) {
      return -1; // not cached: a writer in any process may create it at any moment
    }
    long version = parse(namespace, raw);
    versions.put(namespace, new Cached(version, now));
    return version;
  }

  /** The namespace's current version for a write: cached, or read (and created when missing). */
  long current(String namespace, RedisClusterAsyncCommands<byte[], byte[]> cmd)
      throws Exception {
    Cached cached = versions.get(namespace);
    long now = System.nanoTime();
    if (cached != null && now - cached.readAtNanos < ttlNanos) {
      return cached.value;
    }
    byte[] vkey = keys.version(namespace);
    byte[] raw = waiter.await(cmd.get(vkey));
    if (raw == null) {
      waiter.await(cmd.set(vkey, clockVersion(), SetArgs.Builder.nx()));
      raw = waiter.await(cmd.get(vkey));
      if (raw == null) {
        throw new RedisException("the namespace version key vanished while being created");
      }
    }
    long version = parse(namespace, raw);
    versions.put(namespace, new Cached(version, now));
    return version;
  }

  private long parse(String namespace, byte[] raw) {
    try {
      return Long.parseLong(new String(raw, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      throw new RedisException("the namespace version key " + new String(
          keys.version(namespace), StandardCharsets.UTF_8)
          + " does not hold a number; something else wrote it");
    }
  }

  /** Moves the namespace to a new version and returns it. */
  long bump(String namespace, RedisClusterAsyncCommands<byte[], byte[]> cmd) throws Exception {
    byte[] vkey = keys.version(namespace);
    // A missing version starts from the clock, not from 0, so a version never comes back
    // after the key was lost (a flush, an eviction): old entries can never be read again.
    RedisFuture<String> init = cmd.set(vkey, clockVersion(), SetArgs.Builder.nx());
    RedisFuture<Long> incr = cmd.incr(vkey);
    waiter.await(init);
    long version = waiter.await(incr);
    versions.put(namespace, new Cached(version, System.nanoTime()));
    return version;
  }

  /** Forgets one namespace's version, so the next call reads it again. */
  void forget(String namespace) {
    versions.remove(namespace);
  }

  /** Forgets every cached version. */
  void forgetAll() {
    versions.clear();
  }

  private static byte[] clockVersion() {
    return Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII);
  }
}
