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

  /** The namespace's current version: cached, or read (and created when missing). */
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
    long version;
    try {
      version = Long.parseLong(new String(raw, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      throw new RedisException("the namespace version key " + new String(vkey,
          StandardCharsets.UTF_8) + " does not hold a number; something else wrote it");
    }
    versions.put(namespace, new Cached(version, now));
    return version;
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
