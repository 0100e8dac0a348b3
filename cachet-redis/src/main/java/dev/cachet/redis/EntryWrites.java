package dev.cachet.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link RedisStore}'s writes: entries and their tag-index updates in one pipelined round trip.
 * A write Redis cannot take is dropped (counted): the value is still the caller's to recompute,
 * unlike a removal ({@link EntryRemovals}).
 */
final class EntryWrites {
  private final RedisKeys keys;
  private final CommandWaiter waiter;
  private final CallGuard guard;
  private final StoreCounters counters;
  private final NamespaceVersions versions;
  private final TagSets tags;

  EntryWrites(RedisKeys keys, CommandWaiter waiter, CallGuard guard, StoreCounters counters,
      NamespaceVersions versions, TagSets tags) {
    this.keys = keys;
    this.waiter = waiter;
    this.guard = guard;
    this.counters = counters;
    this.versions = versions;
    this.tags = tags;
  }

  /**
   * See {@link RedisStore#putAll}; arguments already checked, {@code frames} not empty.
   *
   * @param ttl the entries' lifetime in milliseconds, positive, or 0 for never
   */
  void putAll(String namespace, Map<String, byte[]> frames, long ttl, Set<String> tagSet) {
    RedisClusterAsyncCommands<byte[], byte[]> cmd = guard.commands("put");
    if (cmd == null) {
      return;
    }
    try {
      long version = versions.current(namespace, cmd);
      List<RedisFuture<?>> sets = new ArrayList<>();
      TagSets.Additions tagged = tags.additions(cmd, ttl);
      for (Map.Entry<String, byte[]> e : frames.entrySet()) {
        byte[] key = keys.entry(namespace, version, e.getKey());
        sets.add(ttl > 0 ? cmd.set(key, e.getValue(), SetArgs.Builder.px(ttl))
            : cmd.set(key, e.getValue()));
        for (String tag : tagSet) {
          tagged.add(tag, key);
        }
      }
      for (RedisFuture<?> f : sets) {
        waiter.await(f);
      }
      tagged.await();
      counters.writes.add(frames.size());
      guard.succeeded();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      guard.interrupted("put");
    } catch (Exception e) {
      guard.failed("put", e);
    }
  }
}
