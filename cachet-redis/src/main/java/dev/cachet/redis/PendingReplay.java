package dev.cachet.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The removals {@link RedisStore} could not make while Redis was unreachable
 * ({@link PendingInvalidations}), and their replay once it answers again. One thread replays;
 * the others see them still pending, so the reads they cover stay misses meanwhile.
 */
final class PendingReplay {
  private static final System.Logger LOG = System.getLogger(RedisStore.class.getName());
  /** Removals remembered while Redis is unreachable before they fold into namespaces. */
  private static final int MAX_PENDING_KEYS = 10_000;

  private final PendingInvalidations pending = new PendingInvalidations(MAX_PENDING_KEYS);
  private final ReentrantLock lock = new ReentrantLock();
  private final RedisConnections connections;
  private final RedisKeys keys;
  private final CommandWaiter waiter;
  private final CallGuard guard;
  private final NamespaceVersions versions;
  private final TagSets tags;
  private final KeySweeper sweeper;
  private final Supplier<String> describe;

  PendingReplay(RedisConnections connections, RedisKeys keys, CommandWaiter waiter,
      CallGuard guard, NamespaceVersions versions, TagSets tags, KeySweeper sweeper,
      Supplier<String> describe) {
    this.connections = connections;
    this.keys = keys;
    this.waiter = waiter;
    this.guard = guard;
    this.versions = versions;
    this.tags = tags;
    this.sweeper = sweeper;
    this.describe = describe;
  }

  /**
   * Whether a read of this entry must be a miss: a pending removal covers it and could not be
   * replayed now.
   */
  boolean hides(String namespace, String digest) {
    return pending.covers(namespace, digest) && !replay();
  }

  void key(String namespace, String digest) {
    pending.key(namespace, digest);
  }

  void namespace(String namespace) {
    pending.namespace(namespace);
  }

  void tag(String tag) {
    pending.tag(tag);
  }

  void everything() {
    pending.everything();
  }

  /** Replays, if anything is pending (the cheap check runs after every successful call). */
  void replayIfAny() {
    if (!pending.isEmpty()) {
      replay();
    }
  }

  /** Replays the pending removals; returns whether none is left. */
  boolean replay() {
    if (pending.isEmpty()) {
      return true;
    }
    if (connections.commands() == null || !lock.tryLock()) {
      return false;
    }
    CircuitBreaker breaker = guard.breaker();
    // While the breaker is open the replay is its probe; reads it covers stay misses meanwhile.
    if (breaker.isOpen() && !breaker.allow()) {
      lock.unlock();
      return false;
    }
    try {
      PendingInvalidations.Snapshot todo = pending.snapshot();
      if (todo.isEmpty()) {
        breaker.probeAbandoned();
        return true;
      }
      apply(todo, connections.commands());
      pending.replayed(todo);
      breaker.success();
      LOG.log(Level.INFO, describe.get() + ": replayed the invalidations made while Redis was "
          + "unreachable");
      return pending.isEmpty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      breaker.probeAbandoned();
      return false;
    } catch (Exception e) {
      guard.replayFailed(e);
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Makes the removals, in the snapshot's order: all, namespaces, tags, keys. */
  private void apply(PendingInvalidations.Snapshot todo,
      RedisClusterAsyncCommands<byte[], byte[]> cmd) throws Exception {
    if (todo.all()) {
      sweeper.sweepAll(cmd).done.get(10, TimeUnit.MINUTES);
      versions.forgetAll();
    }
    for (String ns : todo.namespaces()) {
      long version = versions.bump(ns, cmd);
      sweeper.sweepOldVersions(cmd, ns, version); // unreachable already; reclaimed meanwhile
    }
    for (String tag : todo.tags()) {
      tags.remove(cmd, tag);
    }
    for (Map.Entry<String, Set<String>> e : todo.keys().entrySet()) {
      long version = versions.current(e.getKey(), cmd);
      List<byte[]> doomed = new ArrayList<>();
      for (String d : e.getValue()) {
        doomed.add(keys.entry(e.getKey(), version, d));
      }
      waiter.await(cmd.unlink(doomed.toArray(new byte[0][])));
    }
  }
}
