package dev.cachet.redis;

import dev.cachet.codec.CorruptEntryException;
import dev.cachet.codec.EntryFrame;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@link RedisStore}'s reads: one entry or a pipelined batch, each frame checked before it is
 * returned. A damaged entry is unlinked and counted, an entry in a newer format left for the
 * upgraded processes; each kind is logged once per store, since a damaged database would
 * otherwise log every read.
 */
final class EntryReads {
  private static final System.Logger LOG = System.getLogger(RedisStore.class.getName());

  private final RedisKeys keys;
  private final CommandWaiter waiter;
  private final CallGuard guard;
  private final StoreCounters counters;
  private final NamespaceVersions versions;
  private final PendingReplay pending;
  private final KeySweeper sweeper;
  private final Supplier<String> describe;
  private final Set<String> loggedOnce = ConcurrentHashMap.newKeySet();

  EntryReads(RedisKeys keys, CommandWaiter waiter, CallGuard guard, StoreCounters counters,
      NamespaceVersions versions, PendingReplay pending, KeySweeper sweeper,
      Supplier<String> describe) {
    this.keys = keys;
    this.waiter = waiter;
    this.guard = guard;
    this.counters = counters;
    this.versions = versions;
    this.pending = pending;
    this.sweeper = sweeper;
    this.describe = describe;
  }

  /** See {@link RedisStore#get}; arguments already checked. */
  byte[] get(String namespace, String digest) {
    if (pending.hides(namespace, digest)) {
      return counters.miss();
    }
    RedisClusterAsyncCommands<byte[], byte[]> cmd = guard.commands("get");
    if (cmd == null) {
      return counters.miss();
    }
    try {
      long version = versions.existing(namespace, cmd);
      if (version < 0) {
        guard.succeeded();
        return counters.miss(); // nothing was ever stored in this namespace
      }
      byte[] key = keys.entry(namespace, version, digest);
      byte[] bytes = waiter.await(cmd.get(key));
      guard.succeeded();
      return bytes == null ? counters.miss() : checked(cmd, key, bytes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return guard.interrupted("get");
    } catch (Exception e) {
      guard.failed("get", e);
      return counters.miss();
    }
  }

  /**
   * See {@link RedisStore#getAll}; arguments already checked, {@code wanted} distinct and not
   * empty. Fills {@code out} in the order asked.
   */
  void getAll(String namespace, List<String> wanted, Map<String, byte[]> out) {
    List<String> ask = new ArrayList<>();
    for (String d : wanted) {
      if (pending.hides(namespace, d)) {
        counters.misses.increment();
      } else {
        ask.add(d);
      }
    }
    RedisClusterAsyncCommands<byte[], byte[]> cmd = ask.isEmpty() ? null
        : guard.commands("getAll");
    if (cmd == null) {
      counters.misses.add(ask.size());
      return;
    }
    try {
      long version = versions.existing(namespace, cmd);
      if (version < 0) {
        guard.succeeded();
        counters.misses.add(ask.size());
        return;
      }
      List<byte[]> keyList = new ArrayList<>(ask.size());
      List<RedisFuture<byte[]>> futures = new ArrayList<>(ask.size());
      for (String d : ask) {
        byte[] key = keys.entry(namespace, version, d);
        keyList.add(key);
        futures.add(cmd.get(key));
      }
      List<byte[]> values = new ArrayList<>(ask.size());
      for (RedisFuture<byte[]> f : futures) {
        values.add(waiter.await(f));
      }
      guard.succeeded();
      for (int i = 0; i < ask.size(); i++) {
        byte[] bytes = values.get(i);
        byte[] ok = bytes == null ? counters.miss() : checked(cmd, keyList.get(i), bytes);
        if (ok != null) {
          out.put(ask.get(i), ok);
        }
      }
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      guard.interrupted("getAll");
    } catch (Exception e) {
      guard.failed("getAll", e);
    }
    counters.misses.add(ask.size() - out.size());
  }

  /** See {@link RedisStore#digests}; arguments already checked, {@code limit} positive. */
  void digests(String namespace, int limit, List<String> out) {
    RedisClusterAsyncCommands<byte[], byte[]> cmd = guard.commands("digests");
    if (cmd == null) {
      return;
    }
    try {
      long version = versions.existing(namespace, cmd);
      if (version < 0) {
        guard.succeeded();
        return; // never written: no scan of the keyspace for nothing
      }
      byte[] versionPrefix = keys.versionPrefix(namespace, version);
      sweeper.scan(cmd, keys.versionPattern(namespace, version), key -> {
        String d = RedisKeys.digestOf(key, versionPrefix);
        if (d != null) {
          out.add(d);
        }
        return out.size() < limit;
      });
      guard.succeeded();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      guard.interrupted("digests");
    } catch (Exception e) {
      guard.failed("digests", e);
    }
  }

  /** See {@link RedisStore#countEntries}; -1 when Redis cannot be asked. */
  long countEntries(String namespace) {
    RedisClusterAsyncCommands<byte[], byte[]> cmd = guard.commands("countEntries");
    if (cmd == null) {
      return -1;
    }
    try {
      long version = versions.existing(namespace, cmd);
      if (version < 0) {
        guard.succeeded();
        return 0;
      }
      byte[] versionPrefix = keys.versionPrefix(namespace, version);
      long[] count = {0};
      sweeper.scan(cmd, keys.versionPattern(namespace, version), key -> {
        if (RedisKeys.digestOf(key, versionPrefix) != null) {
          count[0]++;
        }
        return true;
      });
      guard.succeeded();
      return count[0];
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      guard.interrupted("countEntries");
      return -1;
    } catch (Exception e) {
      guard.failed("countEntries", e);
      return -1;
    }
  }

  /** The frame if it is readable and live; otherwise a miss (a damaged entry is unlinked). */
  private byte[] checked(RedisClusterAsyncCommands<byte[], byte[]> cmd, byte[] key,
      byte[] bytes) {
    try {
      EntryFrame frame = EntryFrame.decode(bytes);
      if (frame.isExpired(System.currentTimeMillis())) {
        return counters.miss();
      }
      counters.hits.increment();
      return bytes;
    } catch (CorruptEntryException e) {
      if (e.reason() == CorruptEntryException.Reason.NEWER_FORMAT) {
        // Left for the upgraded processes that share this store (docs/ENTRY-FORMAT.md).
        logOnce("newer-format", describe.get() + ": " + e.getMessage());
        return counters.miss();
      }
      counters.corruptions.increment();
      logOnce("corrupt", describe.get() + ": removed an unreadable entry "
          + new String(key, StandardCharsets.UTF_8) + " (" + e.getMessage() + "); further "
          + "ones are only counted");
      cmd.unlink(key); // fire and forget: a failure leaves it for the next reader
      return counters.miss();
    }
  }

  private void logOnce(String kind, String message) {
    if (loggedOnce.add(kind)) {
      LOG.log(Level.WARNING, message, (Throwable) null);
    }
  }
}
