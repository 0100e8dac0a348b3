package dev.cachet.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The tag index of {@link RedisStore}: one Redis set per tag ({@code PREFIX:tag:{TAG}}) holding
 * the keys of the entries that carry it, kept alive as long as its longest-lived entry by a
 * Lua script, and emptied by {@link #remove}.
 */
final class TagSets {
  /**
   * Adds an entry key to a tag's set and keeps the set alive as long as its longest-lived
   * entry: no expiry when an entry never expires; otherwise extended, never shortened. A new
   * set (one member) takes the entry's lifetime. ARGV: entry key, lifetime in ms (0 = none).
   */
  static final String ADD_SCRIPT = """
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
  private static final String ADD_SCRIPT_SHA = sha1(ADD_SCRIPT);

  private final RedisKeys keys;
  private final RedisConnections connections;
  private final CommandWaiter waiter;
  private final int scanCount;

  TagSets(RedisKeys keys, RedisConnections connections, CommandWaiter waiter, int scanCount) {
    this.keys = keys;
    this.connections = connections;
    this.waiter = waiter;
    this.scanCount = scanCount;
  }

  /**
   * Additions of entry keys to tag sets, sent as they are added (pipelined) and awaited
   * together, so a batch of puts costs one round trip.
   */
  final class Additions {
    private final RedisClusterAsyncCommands<byte[], byte[]> cmd;
    private final byte[] ttlArg;
    private final List<byte[][]> calls = new ArrayList<>();
    private final List<RedisFuture<Long>> futures = new ArrayList<>();

    private Additions(RedisClusterAsyncCommands<byte[], byte[]> cmd, long ttlMillis) {
      this.cmd = cmd;
      this.ttlArg = Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends the addition of an entry key to a tag's set. */
    void add(String tag, byte[] entryKey) {
      byte[][] call = {keys.tag(tag), entryKey};
      calls.add(call);
      futures.add(cmd.evalsha(ADD_SCRIPT_SHA, ScriptOutputType.INTEGER,
          new byte[][] {call[0]}, call[1], ttlArg));
    }

    /** Waits for every addition sent. */
    void await() throws Exception {
      for (int i = 0; i < futures.size(); i++) {
        try {
          waiter.await(futures.get(i));
        } catch (RedisCommandExecutionException e) {
          if (!String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
            throw e;
          }
          // First use on this server (or after SCRIPT FLUSH / a restart): send the body once.
          byte[][] call = calls.get(i);
          waiter.await(cmd.eval(ADD_SCRIPT, ScriptOutputType.INTEGER, new byte[][] {call[0]},
              call[1], ttlArg));
        }
      }
    }
  }

  /**
   * Starts a batch of additions for entries that live {@code ttlMillis} (0: forever).
   */
  Additions additions(RedisClusterAsyncCommands<byte[], byte[]> cmd, long ttlMillis) {
    return new Additions(cmd, ttlMillis);
  }

  /**
   * Removes every entry carrying {@code tag}: the tag's set is renamed away (so entries tagged
   * meanwhile start a new set), read with {@code SSCAN} and its members unlinked in batches
   * (split per slot on a Cluster), then the set itself is unlinked.
   *
   * @return the number of entries unlinked
   */
  long remove(RedisClusterAsyncCommands<byte[], byte[]> cmd, String tag) throws Exception {
    byte[] tagKey = keys.tag(tag);
    byte[] work = tagKey;
    byte[] renamed = concat(tagKey,
        (":removing:" + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII));
    // RENAME needs both keys in one slot: true when the tag forms a hash tag (not empty).
    if (!connections.isCluster() || SlotHash.getSlot(renamed) == SlotHash.getSlot(tagKey)) {
      try {
        waiter.await(cmd.rename(tagKey, renamed));
        work = renamed;
      } catch (RedisCommandExecutionException e) {
        if (String.valueOf(e.getMessage()).contains("no such key")) {
          return 0;
        }
        throw e;
      }
    }
    long removed = 0;
    ScanArgs args = ScanArgs.Builder.limit(scanCount);
    ValueScanCursor<byte[]> cursor = null;
    do {
      cursor = waiter.await(cursor == null ? cmd.sscan(work, args)
          : cmd.sscan(work, cursor, args));
      List<byte[]> members = cursor.getValues();
      if (!members.isEmpty()) {
        removed += waiter.await(cmd.unlink(members.toArray(new byte[0][])));
      }
    } while (!cursor.isFinished());
    waiter.await(cmd.unlink(work));
    return removed;
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
