package dev.cachet.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;

/**
 * {@link RedisStore}'s removals: one entry, a namespace (by bumping its version), a tag (through
 * its set) or everything of the prefix. A removal Redis cannot take is remembered
 * ({@link PendingReplay}) rather than dropped, since dropping it would let Redis serve the
 * removed value again once it is back.
 */
final class EntryRemovals {
  private final RedisKeys keys;
  private final CommandWaiter waiter;
  private final CallGuard guard;
  private final NamespaceVersions versions;
  private final TagSets tags;
  private final KeySweeper sweeper;
  private final PendingReplay pending;
  private final Duration sweepWait;

  EntryRemovals(RedisKeys keys, CommandWaiter waiter, CallGuard guard,
      NamespaceVersions versions, TagSets tags, KeySweeper sweeper, PendingReplay pending,
      Duration sweepWait) {
    this.keys = keys;
    this.waiter = waiter;
    this.guard = guard;
    this.versions = versions;
    this.tags = tags;
    this.sweeper = sweeper;
    this.pending = pending;
    this.sweepWait = sweepWait;
  }

  /** See {@link RedisStore#remove}; arguments already checked. */
  boolean remove(String namespace, String digest) {
    RedisClusterAsyncCommands<byte[], byte[]> cmd = guard.commands("remove");
    if (cmd == null) {
      pending.key(namespace, digest);
      return false;
    }
    try {
      long version = versions.current(namespace, cmd);
      long n = waiter.await(cmd.unlink(keys.entry(namespace, version, digest)));
      guard.succeeded();
      return n > 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.key(namespace, digest);
      guard.interrupted("remove");
      return false;
    } catch (Exception e) {
      pending.key(namespace, digest);
      guard.failed("remove", e);
      return false;
    }
  }

  /** See {@link RedisStore#removeNamespace}; argument already checked. */
  long removeNamespace(String namespace) {
    RedisClusterAsyncCommands<byte[], byte[]> cmd = guard.commands("removeNamespace");
    if (cmd == null) {
      pending.namespace(namespace);
      versions.forget(namespace);
      return 0;
    }
    long version;
    try {
      version = versions.bump(namespace, cmd);
      guard.succeeded();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.namespace(namespace);
      guard.interrupted("removeNamespace");
      return 0;
    } catch (Exception e) {
      pending.namespace(namespace);
      versions.forget(namespace);
      guard.failed("removeNamespace", e);
      return 0;
    }
    KeySweeper.Sweep sweep = sweeper.sweepOldVersions(cmd, namespace, version);
    return sweeper.waitFor(sweep, sweepWait, "removeNamespace");
  }

  /** See {@link RedisStore#removeTag}; argument already checked. */
  long removeTag(String tag) {
    RedisClusterAsyncCommands<byte[], byte[]> cmd = guard.commands("removeTag");
    if (cmd == null) {
      pending.tag(tag);
      return 0;
    }
    try {
      long n = tags.remove(cmd, tag);
      guard.succeeded();
      return n;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.tag(tag);
      guard.interrupted("removeTag");
      return 0;
    } catch (Exception e) {
      pending.tag(tag);
      guard.failed("removeTag", e);
      return 0;
    }
  }

  /** See {@link RedisStore#clear}. */
  void clear() {
    versions.forgetAll();
    RedisClusterAsyncCommands<byte[], byte[]> cmd = guard.commands("clear");
    if (cmd == null) {
      pending.everything();
      return;
    }
    sweeper.waitFor(sweeper.sweepAll(cmd), Duration.ofMinutes(10), "clear");
    versions.forgetAll();
  }
}
