package dev.cachet.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Walks {@link RedisStore}'s keys with {@code SCAN MATCH} (never {@code KEYS}; every master of a
 * Cluster): to list or count them, and to reclaim old ones with {@code UNLINK} in batches that
 * run on Lettuce's threads, so a caller waits only as long as it chooses.
 */
final class KeySweeper {
  private static final System.Logger LOG = System.getLogger(RedisStore.class.getName());

  private final RedisKeys keys;
  private final CommandWaiter waiter;
  private final CallGuard guard;
  private final int scanCount;
  private final BooleanSupplier closed;
  private final Supplier<String> describe;

  KeySweeper(RedisKeys keys, CommandWaiter waiter, CallGuard guard, int scanCount,
      BooleanSupplier closed, Supplier<String> describe) {
    this.keys = keys;
    this.waiter = waiter;
    this.guard = guard;
    this.scanCount = scanCount;
    this.closed = closed;
    this.describe = describe;
  }

  /** A SCAN+UNLINK in batches running on Lettuce's threads. */
  static final class Sweep {
    final CompletableFuture<Long> done = new CompletableFuture<>();
    final AtomicLong removed = new AtomicLong();
  }

  /** Starts unlinking the keys of a namespace's versions other than {@code current}. */
  Sweep sweepOldVersions(RedisClusterAsyncCommands<byte[], byte[]> cmd, String namespace,
      long current) {
    byte[] nsPrefix = keys.namespacePrefix(namespace);
    return sweep(cmd, keys.namespacePattern(namespace), key -> {
      long v = keys.versionOf(key, nsPrefix);
      return v >= 0 && v != current;
    });
  }

  /** Starts unlinking every key of this store's prefix. */
  Sweep sweepAll(RedisClusterAsyncCommands<byte[], byte[]> cmd) {
    return sweep(cmd, keys.allPattern(), keys::isOwnKey);
  }

  private Sweep sweep(RedisClusterAsyncCommands<byte[], byte[]> cmd, byte[] pattern,
      Predicate<byte[]> doomed) {
    Sweep sweep = new Sweep();
    ScanArgs args = ScanArgs.Builder.matches(pattern).limit(scanCount);
    step(cmd, null, args, doomed, sweep);
    return sweep;
  }

  private void step(RedisClusterAsyncCommands<byte[], byte[]> cmd, ScanCursor cursor,
      ScanArgs args, Predicate<byte[]> doomed, Sweep sweep) {
    if (closed.getAsBoolean()) {
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
          step(cmd, page, args, doomed, sweep);
        }
      });
    });
  }

  /**
   * Waits for a sweep at most {@code wait}, leaving the rest to finish by itself.
   *
   * @return the number of keys unlinked so far
   */
  long waitFor(Sweep sweep, Duration wait, String operation) {
    try {
      return sweep.done.get(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      sweep.done.whenComplete((n, error) -> {
        if (error != null) {
          LOG.log(Level.DEBUG, describe.get() + ": " + operation + " sweep stopped: " + error);
        }
      });
      return sweep.removed.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return sweep.removed.get();
    } catch (ExecutionException e) {
      // Old entries are unreachable already (the version changed); only memory is not yet
      // reclaimed. Their TTL, or the next sweep of this namespace, reclaims it.
      guard.failed(operation + " (reclaiming old keys)", e);
      return sweep.removed.get();
    }
  }

  /** Scans keys matching {@code pattern} until done or {@code visitor} returns false. */
  void scan(RedisClusterAsyncCommands<byte[], byte[]> cmd, byte[] pattern,
      Predicate<byte[]> visitor) throws Exception {
    ScanArgs args = ScanArgs.Builder.matches(pattern).limit(scanCount);
    KeyScanCursor<byte[]> page = null;
    do {
      page = waiter.await(page == null ? cmd.scan(args) : cmd.scan(page, args));
      for (byte[] key : page.getKeys()) {
        if (!visitor.test(key)) {
          return;
        }
      }
    } while (!page.isFinished());
  }
}
