package dev.cachet.redis;

import dev.cachet.tier.FleetFlight;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Single-flight across processes on Redis locks: one key per entry being computed
 * ({@code PREFIX:lock:{namespace}:digest}), set with {@code SET NX PX} to a random owner token,
 * renewed every third of its lifetime while the computation runs, and released by a Lua
 * compare-and-delete that also publishes the key on {@code PREFIX:lock:released}.
 *
 * <p>Waiters share one subscription to that channel per instance; each waits on a future for
 * its key, completed when the release is announced. Because a release may come before a waiter
 * subscribes, or be missed during a reconnection, a waiter also checks whether the lock still
 * exists once after registering, and again every {@value #RECHECK_MILLIS} ms: a safety net, not
 * a busy loop. A process that dies stops renewing, so its lock expires by itself after at most
 * the lock lifetime; nothing accumulates.
 *
 * <p>Never throws because of Redis: when Redis cannot be reached, {@link #tryLead} returns a
 * lease that guards nothing (compute locally) and {@link #awaitRelease} returns false.
 */
public final class RedisFleetFlight implements FleetFlight, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RedisFleetFlight.class.getName());

  /** How often a waiter re-checks the lock, in case a release announcement was missed. */
  static final long RECHECK_MILLIS = 500;

  private static final String RENEW_SCRIPT =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
          + "  return redis.call('PEXPIRE', KEYS[1], ARGV[2])\n"
          + "end\n"
          + "return 0";

  /** Deletes the lock only if this owner still holds it, then wakes the waiters. */
  private static final String RELEASE_SCRIPT =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
          + "  redis.call('DEL', KEYS[1])\n"
          + "  redis.call('PUBLISH', ARGV[2], KEYS[1])\n"
          + "  return 1\n"
          + "end\n"
          + "return 0";

  /** What a caller gets when Redis is unreachable: it computes locally, guarding nothing. */
  private static final Lease UNGUARDED = () -> {
  };

  private final RedisLinks links;
  private final boolean ownsLinks;
  private final CoherenceSettings settings;
  private final RedisClusterAsyncCommands<String, String> commands;
  private final long ttlMillis;
  private final long timeoutMillis;
  private final String channel;
  private final String instanceId;
  private final String ownerPrefix;
  private final StatefulRedisPubSubConnection<String, String> pubsub;
  /** One daemon thread renews every held lock; renewals are async, so it never blocks. */
  private final ScheduledThreadPoolExecutor renewer;
  private final ConcurrentHashMap<String, Waiters> waiting = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean failing = new AtomicBoolean();

  private final AtomicLong led = new AtomicLong();
  private final AtomicLong contended = new AtomicLong();
  private final AtomicLong renewals = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong wokenByAnnouncement = new AtomicLong();
  private final AtomicLong foundReleased = new AtomicLong();

  /**
   * Counters since this instance was opened.
   *
   * @param led leases won ({@link #tryLead} returned a lease that guards the key)
   * @param contended {@link #tryLead} calls that found another owner
   * @param renewals lock lifetimes extended while a computation ran
   * @param lost leases found taken over or expired at renewal
   * @param failures Redis calls that failed
   * @param wokenByAnnouncement waits ({@link #awaitRelease}) ended by the owner's release
   *     announcement, the quick path
   * @param foundReleased waits ended because a check found the lock gone: released before the
   *     wait began, or the announcement missed and the periodic re-check saw it (a dead owner's
   *     lock that expired ends this way)
   */
  public record Stats(long led, long contended, long renewals, long lost, long failures,
      long wokenByAnnouncement, long foundReleased) {
  }

  /** The processes waiting in this JVM for one key, sharing one future. */
  private static final class Waiters {
    final CompletableFuture<Void> released = new CompletableFuture<>();
    int count;
    /** Waiters that found the lock held and wait for the announcement. */
    final AtomicInteger parked = new AtomicInteger();
  }

  /**
   * Connects to Redis with a client of its own, which {@link #close()} shuts down. The prefix
   * and command timeout not set in {@code settings} come from the URI ({@code ?prefix=},
   * {@code ?timeout=}), as for a {@link RedisStore}.
   *
   * @throws IllegalArgumentException when the URI cannot be read
   * @throws io.lettuce.core.RedisException when Redis cannot be reached
   */
  public static RedisFleetFlight open(String uri, CoherenceSettings settings) {
    return ClientLinks.openOwned(uri, settings,
        (links, resolved) -> new RedisFleetFlight(links, true, resolved));
  }

  /**
   * Fleet single-flight over connections lent by {@code links}, with one dedicated pub/sub
   * connection for release announcements.
   *
   * @param ownsLinks whether {@link #close()} closes {@code links} too
   */
  RedisFleetFlight(RedisLinks links, boolean ownsLinks, CoherenceSettings settings) {
    this.links = Objects.requireNonNull(links, "links");
    this.ownsLinks = ownsLinks;
    this.settings = settings.requireResolved();
    this.commands = links.commands();
    this.ttlMillis = settings.lockTtl().toMillis();
    this.timeoutMillis = settings.commandTimeout().toMillis();
    this.channel = settings.releaseChannel();
    this.instanceId = settings.instanceIdOrRandom();
    this.ownerPrefix = InvalidationMessages.origin(instanceId) + "/";
    this.renewer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "cachet-lock-renewer-" + instanceId);
      t.setDaemon(true);
      return t;
    });
    // A released lease's renewal task must not linger in the queue until its next run.
    renewer.setRemoveOnCancelPolicy(true);
    StatefulRedisPubSubConnection<String, String> connection = null;
    try {
      connection = links.openPubSub();
      connection.addListener(new Listener());
      RedisInvalidationBus.nameConnection(connection, "cachet-flight/" + instanceId);
      await(connection.async().subscribe(channel));
    } catch (RuntimeException e) {
      if (connection != null) {
        connection.close();
      }
      renewer.shutdownNow();
      throw new IllegalStateException("Cannot subscribe to the lock channel " + channel + " on "
          + links.describe() + ": " + e.getMessage(), e);
    }
    this.pubsub = connection;
  }

  /**
   * Tries to take the entry's lock. Returns a lease that renews the lock until closed, null
   * when another process holds it, or a lease guarding nothing when Redis cannot be reached
   * (the caller then computes locally, as without a fleet).
   *
   * @throws IllegalStateException when closed
   */
  @Override
  public Lease tryLead(String namespace, String digest) {
    checkOpen();
    String key = settings.lockKey(namespace, digest);
    // Who holds it, for an operator reading the key; random so no other owner can match it.
    String token = ownerPrefix + UUID.randomUUID();
    String reply;
    try {
      reply = await(commands.set(key, token, SetArgs.Builder.nx().px(ttlMillis)));
    } catch (RuntimeException e) {
      failed("take the lock " + key, e);
      // The SET may have succeeded with its reply lost: delete it if it is ours, so others do
      // not wait for a lock nobody renews (fire and forget; else it expires by itself).
      try {
        commands.eval(RELEASE_SCRIPT, ScriptOutputType.INTEGER, new String[] {key}, token,
            channel);
      } catch (RuntimeException ignored) {
        // Redis is away; the TTL cleans up.
      }
      return UNGUARDED;
    }
    recovered();
    if (!"OK".equals(reply)) {
      contended.incrementAndGet();
      return null;
    }
    led.incrementAndGet();
    return new RedisLease(key, token);
  }

  /**
   * Waits until the entry's lock is released (or expires), at most {@code maxWait}. Returns
   * false on timeout, when interrupted (the interrupt is kept), or when Redis cannot be reached.
   *
   * @throws IllegalStateException when closed
   */
  @Override
  public boolean awaitRelease(String namespace, String digest, Duration maxWait) {
    checkOpen();
    String key = settings.lockKey(namespace, digest);
    long deadline = System.nanoTime() + Math.max(0, maxWait.toNanos());
    Waiters w = waiting.compute(key, (k, existing) -> {
      Waiters ws = existing != null ? existing : new Waiters();
      ws.count++;
      return ws;
    });
    try {
      // Registered first, then checked: a release announced before registration is seen here,
      // one announced after it completes the future.
      boolean first = true;
      while (true) {
        if (!lockExists(key)) {
          foundReleased.incrementAndGet();
          return true;
        }
        if (first) {
          first = false;
          w.parked.incrementAndGet();
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        long slice = Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(RECHECK_MILLIS));
        try {
          w.released.get(slice, TimeUnit.NANOSECONDS);
          wokenByAnnouncement.incrementAndGet();
          return true;
        } catch (TimeoutException e) {
          // Re-check: the announcement may have been lost, or the owner died and it expired.
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return true; // the future is never completed exceptionally; treat as released
    } catch (RuntimeException e) {
      failed("check the lock " + key, e);
      return false;
    } finally {
      waiting.computeIfPresent(key, (k, ws) -> ws == w && --ws.count == 0 ? null : ws);
    }
  }

  private boolean lockExists(String key) {
    Long n = await(commands.exists(key));
    recovered();
    return n != null && n > 0;
  }

  /** The id telling this instance apart from others of its process, in its lock tokens. */
  public String instanceId() {
    return instanceId;
  }

  /**
   * The lock keys held now by any process of the fleet (at most {@code limit}), found with
   * {@code SCAN}: for operators (the CLI's {@code stats}), not for hot paths.
   *
   * @throws IllegalStateException when Redis cannot be read, with the reason
   */
  public List<String> heldLocks(int limit) {
    List<String> out = new ArrayList<>();
    ScanArgs args = ScanArgs.Builder.matches(RedisKeys.globEscape(settings.prefix()) + ":lock:*")
        .limit(500);
    KeyScanCursor<String> cursor = await(commands.scan(args));
    while (true) {
      for (String key : cursor.getKeys()) {
        if (out.size() < limit) {
          out.add(key);
        }
      }
      if (cursor.isFinished() || out.size() >= limit) {
        return out;
      }
      cursor = await(commands.scan(cursor, args));
    }
  }

  /** Waiters in this JVM that found the lock of this key held and wait for its release. */
  int parkedWaiters(String namespace, String digest) {
    Waiters w = waiting.get(settings.lockKey(namespace, digest));
    return w == null ? 0 : w.parked.get();
  }

  /** The counters since this instance was opened. */
  public Stats stats() {
    return new Stats(led.get(), contended.get(), renewals.get(), lost.get(), failures.get(),
        wokenByAnnouncement.get(), foundReleased.get());
  }

  /**
   * Stops renewing and listening, and releases connections it owns. Leases still held are not
   * released: their locks expire within the lock lifetime, as if this process had died.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    renewer.shutdownNow();
    try {
      pubsub.close();
    } catch (RuntimeException ignored) {
      // Closing anyway.
    }
    waiting.forEach((k, w) -> w.released.complete(null));
    if (ownsLinks) {
      links.close();
    }
  }

  /** The pub/sub connection, for tests that disconnect it. */
  StatefulRedisPubSubConnection<String, String> pubSubConnection() {
    return pubsub;
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("The fleet single-flight on " + links.describe()
          + " is closed");
    }
  }

  private void failed(String what, Throwable e) {
    failures.incrementAndGet();
    if (failing.compareAndSet(false, true)) {
      LOG.log(System.Logger.Level.WARNING, "Fleet single-flight could not " + what + " on "
          + links.describe() + " (" + e + "); computing locally until Redis answers. Further "
          + "failures are only counted.");
    }
  }

  private void recovered() {
    if (failing.get() && failing.compareAndSet(true, false)) {
      LOG.log(System.Logger.Level.INFO, "Fleet single-flight on " + links.describe()
          + " works again");
    }
  }

  private <T> T await(CompletionStage<T> future) {
    try {
      return future.toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Redis", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(String.valueOf(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Redis at " + links.describe() + " did not answer within "
          + timeoutMillis + " ms", e);
    }
  }

  /** A held lock: renewed until closed, then deleted if still ours. */
  final class RedisLease implements Lease {
    private final String key;
    private final String token;
    private final AtomicBoolean done = new AtomicBoolean();
    private final ScheduledFuture<?> renewal;

    RedisLease(String key, String token) {
      this.key = key;
      this.token = token;
      long period = Math.max(1, ttlMillis / 3);
      ScheduledFuture<?> task = null;
      try {
        task = renewer.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Closed meanwhile: the lock will expire on its own.
      }
      this.renewal = task;
    }

    /** The lock's key. */
    String key() {
      return key;
    }

    private void renew() {
      CompletionStage<Long> reply = commands.eval(RENEW_SCRIPT, ScriptOutputType.INTEGER,
          new String[] {key}, token, Long.toString(ttlMillis));
      reply.whenComplete((n, error) -> {
        if (error != null) {
          // Try again next period; if Redis stays away the lock expires, which is safe.
          failed("renew the lock " + key, error);
        } else if (n == null || n == 0) {
          lost.incrementAndGet();
          LOG.log(System.Logger.Level.WARNING, "Lost the fleet lock " + key + " while "
              + "computing (it expired before renewal, or was deleted); another process may "
              + "compute the same entry");
          stopRenewing();
        } else {
          renewals.incrementAndGet();
        }
      });
    }

    private void stopRenewing() {
      if (renewal != null) {
        renewal.cancel(false);
      }
    }

    /** Stops renewing without releasing, as if the process had died; for tests. */
    void abandon() {
      done.set(true);
      stopRenewing();
    }

    /** Runs the compare-and-delete even after {@link #abandon()}, as a late owner would (tests). */
    void closeEvenIfAbandoned() {
      done.set(true);
      release();
    }

    @Override
    public void close() {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      release();
    }

    private void release() {
      stopRenewing();
      if (closed.get()) {
        return; // connections may be gone; the lock expires by itself
      }
      try {
        // Waited for, so that when close returns the waiters are already being woken.
        await(commands.eval(RELEASE_SCRIPT, ScriptOutputType.INTEGER, new String[] {key}, token,
            channel));
      } catch (RuntimeException e) {
        failed("release the lock " + key + " (it expires by itself within " + ttlMillis
            + " ms)", e);
      }
    }
  }

  /** Completes the waiters of each announced key; runs on Lettuce's I/O thread, never blocks. */
  private final class Listener extends RedisPubSubAdapter<String, String> {
    @Override
    public void message(String ch, String key) {
      if (channel.equals(ch)) {
        // Removed before completing, so a later lock on the same key gets fresh waiters.
        Waiters w = waiting.remove(key);
        if (w != null) {
          w.released.complete(null);
        }
      }
    }
  }
}
