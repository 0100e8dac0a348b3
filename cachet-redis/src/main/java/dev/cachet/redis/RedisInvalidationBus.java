package dev.cachet.redis;

import dev.cachet.tier.Invalidation;
import dev.cachet.tier.InvalidationBus;
import dev.cachet.tier.InvalidationCounts;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The invalidation bus on Redis: each invalidation is appended to a capped stream (the
 * invalidation log, which is also the audit log) and published on a pub/sub channel, atomically
 * by one Lua script, so the order on the channel is the order in the log.
 *
 * <p>Other processes receive it from the channel within a millisecond or so on a LAN. Each
 * receiver remembers the id of the last log entry it saw; when its pub/sub connection comes
 * back after a disconnection (Lettuce resubscribes on its own), it reads the log from that id
 * and replays what it missed. When the log no longer reaches back that far (it was trimmed
 * past that id, or lost with the server), the receiver cannot know what it missed and delivers
 * {@link Invalidation#all(String)} instead, so local tiers are flushed rather than stale.
 *
 * <p>Receivers run on one thread of this bus, in log order. A process never receives its own
 * invalidations: each bus has its own origin ({@code pid@host/instanceId}), so two
 * {@code Cachet} instances in one JVM still see each other's.
 *
 * <p>Nothing here throws because of Redis: a failed publish is logged (once per outage) and
 * counted (the process that published has dropped its own entries anyway), and kept: up to
 * {@value #MAX_UNSENT} failed invalidations are sent again, in order, once Redis answers
 * (beyond that, one invalidation of everything is sent instead), so other processes do not keep
 * what this one invalidated during an outage. In a Cluster the log lives in one slot
 * ({@code PREFIX:inv:log}) and the channel is cluster-wide.
 */
public final class RedisInvalidationBus implements InvalidationBus {
  private static final System.Logger LOG = System.getLogger(RedisInvalidationBus.class.getName());

  /** The reason of the invalidation delivered when the log cannot tell what was missed. */
  public static final String GAP_REASON = "invalidation log gap after disconnection";

  /** Log entries read per command while replaying. */
  private static final int REPLAY_BATCH = 500;
  /** Delay before retrying a replay or a resend that failed (Redis still unreachable). */
  private static final long RETRY_MILLIS = 500;
  /** Failed publishes kept for resending; beyond this, one ALL replaces them. */
  static final int MAX_UNSENT = 1_000;
  /** The reason of the ALL sent when more publishes failed than could be kept. */
  static final String OVERFLOW_REASON =
      "invalidations could not be sent while Redis was unreachable";

  /**
   * Appends to the log, capped near ARGV[1] entries, then publishes "<id> <body>". One script,
   * so no other invalidation can come between the two and the channel's order is the log's.
   */
  private static final String PUBLISH_SCRIPT =
      "local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'm', ARGV[2])\n"
          + "redis.call('PUBLISH', ARGV[3], id .. ' ' .. ARGV[2])\n"
          + "return id";

  private final RedisLinks links;
  private final boolean ownsLinks;
  private final CoherenceSettings settings;
  private final RedisClusterAsyncCommands<String, String> commands;
  private final String instanceId;
  private final String origin;
  private final String logKey;
  private final String channel;
  private final long timeoutMillis;
  private final List<Consumer<Invalidation>> receivers = new CopyOnWriteArrayList<>();
  /** The bus's one thread: delivery, replay and their retries, so they never interleave. */
  private final ScheduledExecutorService thread;
  private final StatefulRedisPubSubConnection<String, String> pubsub;
  private final CountDownLatch firstSubscription = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean failing = new AtomicBoolean();

  // Confined to `thread`.
  /** The id of the last log entry delivered or skipped; null before the first subscription. */
  private String lastSeen;
  /** Set from a resubscription until the replay succeeds; lastSeen must not move meanwhile. */
  private boolean replayPending;

  /**
   * Failed publishes by their publish order (failures may be reported out of order); guarded by
   * itself, with {@link #unsentOverflow} and {@link #resendScheduled}.
   */
  private final TreeMap<Long, Invalidation> unsent = new TreeMap<>();
  private final AtomicLong publishOrder = new AtomicLong();
  private boolean unsentOverflow;
  private boolean resendScheduled;

  private final AtomicLong published = new AtomicLong();
  private final AtomicLong resent = new AtomicLong();
  private final AtomicLong publishFailures = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong reconnections = new AtomicLong();

  /**
   * Counters of one bus since it was opened.
   *
   * @param published invalidations sent at the first attempt
   * @param publishFailures attempts that failed (first attempts and resends)
   * @param resent invalidations sent by a later attempt, after Redis came back
   * @param unsent invalidations waiting to be sent again now
   * @param received invalidations from other processes delivered live
   * @param replayed invalidations from other processes delivered from the log after a
   *     reconnection
   * @param gaps times the log no longer reached back and everything was invalidated
   * @param malformed messages or log entries this version could not read
   * @param reconnections resubscriptions after a lost connection
   */
  public record Stats(long published, long publishFailures, long resent, long unsent,
      long received, long replayed, long gaps, long malformed, long reconnections) {
  }

  /**
   * One entry of the invalidation log: its stream id and what it says (null in a
   * {@link LogSummary} for an entry this version cannot read).
   */
  public record LogEntry(String id, Invalidation invalidation) {
  }

  /**
   * Connects to Redis with a client of its own, which {@link #close()} shuts down. The prefix
   * and command timeout not set in {@code settings} come from the URI ({@code ?prefix=},
   * {@code ?timeout=}), as for a {@link RedisStore}.
   *
   * @param uri such as {@code redis://host:6379?prefix=app}; see {@link RedisStoreOptions}
   * @throws IllegalArgumentException when the URI cannot be read
   * @throws io.lettuce.core.RedisException when Redis cannot be reached
   */
  public static RedisInvalidationBus open(String uri, CoherenceSettings settings) {
    return ClientLinks.openOwned(uri, settings,
        (links, resolved) -> new RedisInvalidationBus(links, true, resolved));
  }

  /**
   * A bus over connections lent by {@code links} (a store's), opening one dedicated pub/sub
   * connection; waits until it is subscribed.
   *
   * @param ownsLinks whether {@link #close()} closes {@code links} too
   */
  RedisInvalidationBus(RedisLinks links, boolean ownsLinks, CoherenceSettings settings) {
    this.links = Objects.requireNonNull(links, "links");
    this.ownsLinks = ownsLinks;
    this.settings = settings.requireResolved();
    this.commands = links.commands();
    this.instanceId = settings.instanceIdOrRandom();
    this.origin = InvalidationMessages.origin(instanceId);
    this.logKey = settings.logKey();
    this.channel = settings.invalidationChannel();
    this.timeoutMillis = settings.commandTimeout().toMillis();
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cachet-bus-" + instanceId);
      t.setDaemon(true);
      return t;
    });
    StatefulRedisPubSubConnection<String, String> connection = null;
    try {
      connection = links.openPubSub();
      connection.addListener(new Listener());
      nameConnection(connection, "cachet-bus/" + instanceId);
      await(connection.async().subscribe(channel));
      if (!firstSubscription.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "The invalidation bus on " + links.describe()
            + " did not confirm its subscription within " + timeoutMillis + " ms; continuing");
      }
    } catch (RuntimeException | InterruptedException e) {
      if (connection != null) {
        connection.close();
      }
      thread.shutdownNow();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Cannot subscribe to the invalidation channel " + channel
          + " on " + links.describe() + ": " + e.getMessage(), e);
    }
    this.pubsub = connection;
  }

  /**
   * Names a pub/sub connection, so operators (and tests) find it in {@code CLIENT LIST}. Best
   * effort: an ACL user may not be allowed {@code CLIENT SETNAME}, which must not stop the bus.
   */
  static void nameConnection(StatefulRedisPubSubConnection<String, String> connection,
      String name) {
    try {
      connection.async().clientSetname(name).toCompletableFuture().get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(System.Logger.Level.DEBUG, "CLIENT SETNAME " + name + " refused: " + e);
    }
  }

  /** This bus's origin, {@code pid@host/instanceId}, as written into what it publishes. */
  public String origin() {
    return origin;
  }

  /** The id telling this bus apart from others of its process: the last part of its origin. */
  public String instanceId() {
    return instanceId;
  }

  /** The settings it was opened with. */
  public CoherenceSettings settings() {
    return settings;
  }

  /**
   * Sends {@code invalidation} to every other process and appends it to the log; returns at
   * once. Never throws because of Redis: a failure is logged once per outage and counted.
   *
   * @throws IllegalStateException when the bus is closed
   */
  @Override
  public void publish(Invalidation invalidation) {
    publishAsync(invalidation);
  }

  /**
   * Like {@link #publish}, with the outcome: the future completes with the log entry's id, or
   * exceptionally when Redis could not be reached within the command timeout (which is also
   * logged and counted). For callers that must know it went out, such as the CLI.
   *
   * @throws IllegalStateException when the bus is closed
   */
  public CompletableFuture<String> publishAsync(Invalidation invalidation) {
    Objects.requireNonNull(invalidation, "invalidation");
    if (closed.get()) {
      throw new IllegalStateException("The invalidation bus on " + links.describe()
          + " is closed; cannot publish " + invalidation);
    }
    long order = publishOrder.incrementAndGet();
    return send(invalidation).whenComplete((id, error) -> {
      if (error == null) {
        published.incrementAndGet();
        boolean pending;
        synchronized (unsent) {
          pending = !unsent.isEmpty() || unsentOverflow;
        }
        if (pending) {
          scheduleResend(0); // Redis answers again: send what failed before
        }
      } else {
        keepUnsent(order, invalidation);
      }
    });
  }

  /** One attempt: appends to the log and publishes; counts and logs a failure. */
  private CompletableFuture<String> send(Invalidation invalidation) {
    String body = InvalidationMessages.encode(invalidation.withOrigin(origin));
    CompletableFuture<String> sent;
    try {
      CompletionStage<String> eval = commands.eval(PUBLISH_SCRIPT, ScriptOutputType.VALUE,
          new String[] {logKey}, Integer.toString(settings.logMaxLength()), body, channel);
      sent = eval.toCompletableFuture().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.whenComplete((id, error) -> {
      if (error == null) {
        if (failing.compareAndSet(true, false)) {
          LOG.log(System.Logger.Level.INFO, "The invalidation bus on " + links.describe()
              + " publishes again");
        }
      } else {
        publishFailures.incrementAndGet();
        if (failing.compareAndSet(false, true)) {
          LOG.log(System.Logger.Level.WARNING, "The invalidation bus on " + links.describe()
              + " could not publish " + invalidation + " (" + error + "); it is kept and sent "
              + "again once Redis answers. Further failures are only counted.");
        }
      }
    });
  }

  private void keepUnsent(long order, Invalidation invalidation) {
    synchronized (unsent) {
      if (unsent.size() < MAX_UNSENT) {
        unsent.put(order, invalidation);
      } else {
        unsentOverflow = true;
      }
    }
    scheduleResend(RETRY_MILLIS);
  }

  private void scheduleResend(long delayMillis) {
    synchronized (unsent) {
      if (resendScheduled || closed.get()) {
        return;
      }
      resendScheduled = true;
    }
    try {
      thread.schedule(this::resendUnsent, delayMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed meanwhile.
    }
  }

  /** On the bus thread: sends the kept invalidations in order, until one fails again. */
  private void resendUnsent() {
    synchronized (unsent) {
      resendScheduled = false;
    }
    while (!closed.get()) {
      Map.Entry<Long, Invalidation> first;
      boolean overflow;
      synchronized (unsent) {
        overflow = unsentOverflow;
        first = unsent.firstEntry();
      }
      Invalidation next = overflow ? Invalidation.all(OVERFLOW_REASON)
          : first != null ? first.getValue() : null;
      if (next == null) {
        return;
      }
      try {
        await(send(next));
      } catch (RuntimeException e) {
        scheduleResend(RETRY_MILLIS);
        return;
      }
      resent.incrementAndGet();
      synchronized (unsent) {
        if (overflow) {
          // Everything is invalidated: what was kept is covered.
          unsentOverflow = false;
          unsent.clear();
        } else {
          unsent.remove(first.getKey());
        }
      }
    }
  }

  @Override
  public void subscribe(Consumer<Invalidation> receiver) {
    receivers.add(Objects.requireNonNull(receiver, "receiver"));
  }

  /**
   * The newest invalidations of the log, newest first; empty when Redis cannot be read (logged).
   */
  @Override
  public List<Invalidation> recent(int limit) {
    try {
      List<Invalidation> out = new ArrayList<>();
      for (LogEntry e : log(limit)) {
        out.add(e.invalidation());
      }
      return out;
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Cannot read the invalidation log " + logKey + " on "
          + links.describe() + ": " + e.getMessage());
      return List.of();
    }
  }

  /**
   * The newest entries of the invalidation log with their ids, newest first; entries this
   * version cannot read are left out.
   *
   * @throws IllegalArgumentException when {@code limit} is not positive
   * @throws IllegalStateException when Redis cannot be read, with the reason
   */
  public List<LogEntry> log(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    List<StreamMessage<String, String>> messages =
        await(commands.xrevrange(logKey, Range.unbounded(), Limit.from(limit)));
    List<LogEntry> out = new ArrayList<>(messages.size());
    for (StreamMessage<String, String> m : messages) {
      try {
        out.add(new LogEntry(m.getId(), InvalidationMessages.decode(m.getBody().get("m"))));
      } catch (InvalidationMessages.MalformedMessageException | RuntimeException e) {
        malformed.incrementAndGet();
      }
    }
    return out;
  }

  /**
   * The size and time span of the invalidation log: how far back a reconnecting process can
   * replay.
   *
   * @param length entries in the log (0 when absent)
   * @param oldest the oldest entry, or null when the log is empty
   * @param newest the newest entry, or null when the log is empty
   */
  public record LogSummary(long length, LogEntry oldest, LogEntry newest) {
  }

  /**
   * Reads the log's length and its oldest and newest entries.
   *
   * @throws IllegalStateException when Redis cannot be read, with the reason
   */
  public LogSummary logSummary() {
    long length = await(commands.xlen(logKey));
    LogEntry oldest = firstEntry(await(commands.xrange(logKey, Range.unbounded(),
        Limit.from(1))));
    LogEntry newest = firstEntry(await(commands.xrevrange(logKey, Range.unbounded(),
        Limit.from(1))));
    return new LogSummary(length, oldest, newest);
  }

  private LogEntry firstEntry(List<StreamMessage<String, String>> messages) {
    if (messages.isEmpty()) {
      return null;
    }
    StreamMessage<String, String> m = messages.get(0);
    try {
      return new LogEntry(m.getId(), InvalidationMessages.decode(m.getBody().get("m")));
    } catch (InvalidationMessages.MalformedMessageException | RuntimeException e) {
      return new LogEntry(m.getId(), null);
    }
  }

  /** The counters since this bus was opened. */
  public Stats stats() {
    int waiting;
    synchronized (unsent) {
      waiting = unsent.size() + (unsentOverflow ? 1 : 0);
    }
    return new Stats(published.get(), publishFailures.get(), resent.get(), waiting,
        received.get(), replayed.get(), gaps.get(), malformed.get(), reconnections.get());
  }

  /** {@link #stats()} in core's terms: sent counts first attempts and resends. */
  @Override
  public InvalidationCounts counts() {
    return new InvalidationCounts(published.get() + resent.get(), publishFailures.get(),
        received.get(), replayed.get());
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      pubsub.close();
    } catch (RuntimeException ignored) {
      // Closing anyway.
    }
    thread.shutdownNow();
    if (ownsLinks) {
      links.close();
    }
  }

  /**
   * Hands {@code invalidation} to this process's receivers, on the bus thread like everything
   * they receive, without publishing it: for what only this process must drop (it could not
   * listen for a while).
   */
  void deliverLocally(Invalidation invalidation) {
    Invalidation stamped = invalidation.withOrigin(origin);
    try {
      thread.execute(() -> deliverToReceivers(stamped));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed meanwhile: nobody is listening any more.
    }
  }

  @Override
  public String position() {
    try {
      return thread.submit(() -> lastSeen).get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
        | java.util.concurrent.RejectedExecutionException e) {
      return null;
    }
  }

  @Override
  public boolean replayFrom(String position) {
    if (position == null || !position.matches("\\d+-\\d+")) {
      return false;
    }
    try {
      return thread.submit(() -> {
        // Older than what this run has seen: replaying from there re-delivers a few entries,
        // which only drops them twice.
        lastSeen = lastSeen == null ? position
            : StreamIds.compare(position, lastSeen) < 0 ? position : lastSeen;
        if (firstSubscription.getCount() != 0) {
          // Not listening yet: onSubscribed will replay from this position, but too late for
          // the caller, who must not serve local entries meanwhile.
          return false;
        }
        replayPending = true;
        replay();
        return !replayPending;
      }).get(REPLAY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
        | java.util.concurrent.RejectedExecutionException e) {
      return false;
    }
  }

  /** How long {@link #replayFrom} waits for the replay before the caller flushes instead. */
  private static final long REPLAY_WAIT_MILLIS = 5_000;

  /** The pub/sub connection, for tests that disconnect it. */
  StatefulRedisPubSubConnection<String, String> pubSubConnection() {
    return pubsub;
  }

  // ---- on the bus thread ----

  private void onSubscribed() {
    if (lastSeen == null) {
      // First subscription: everything logged before now predates this process's interest.
      try {
        List<StreamMessage<String, String>> newest =
            await(commands.xrevrange(logKey, Range.unbounded(), Limit.from(1)));
        String id = newest.isEmpty() ? StreamIds.ZERO : newest.get(0).getId();
        lastSeen = lastSeen == null ? id : StreamIds.max(lastSeen, id);
      } catch (RuntimeException e) {
        // Messages still flow; the first one received becomes the starting point.
        LOG.log(System.Logger.Level.WARNING, "Cannot read the end of the invalidation log "
            + logKey + ": " + e.getMessage());
      }
      firstSubscription.countDown();
      return;
    }
    if (firstSubscription.getCount() != 0) {
      // A position saved by an earlier run (replayFrom) arrived before the first subscription.
      firstSubscription.countDown();
    } else {
      reconnections.incrementAndGet();
    }
    replayPending = true;
    replay();
    scheduleResend(0);
  }

  private void replay() {
    if (!replayPending || closed.get()) {
      return;
    }
    try {
      replayFromLastSeen();
      replayPending = false;
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Cannot replay the invalidation log " + logKey
          + " after a reconnection (" + e.getMessage() + "); retrying in " + RETRY_MILLIS + " ms");
      thread.schedule(this::replay, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void replayFromLastSeen() {
    String from = lastSeen;
    boolean first = true;
    while (true) {
      List<StreamMessage<String, String>> batch = await(commands.xrange(logKey,
          Range.from(Range.Boundary.including(from), Range.Boundary.unbounded()),
          Limit.from(REPLAY_BATCH)));
      if (first) {
        first = false;
        if (!reachesBack(from, batch)) {
          deliverGap();
          return;
        }
      }
      for (StreamMessage<String, String> m : batch) {
        if (StreamIds.compare(m.getId(), lastSeen) <= 0) {
          continue;
        }
        lastSeen = m.getId();
        deliver(m.getBody().get("m"), replayed);
      }
      if (batch.size() < REPLAY_BATCH) {
        return;
      }
      from = lastSeen;
    }
  }

  /**
   * Whether the log still holds everything after {@code from}: it must still hold the entry
   * {@code from} itself (trimming removes the oldest first, so then nothing newer is gone; if it
   * is missing the log was trimmed past it, or deleted and recreated). A reader that started on
   * an empty log ({@code 0-0}) needs the log never to have been trimmed.
   */
  private boolean reachesBack(String from, List<StreamMessage<String, String>> batch) {
    if (!from.equals(StreamIds.ZERO)) {
      return !batch.isEmpty() && batch.get(0).getId().equals(from);
    }
    if (batch.isEmpty()) {
      return true;
    }
    long added = -1;
    long length = -1;
    List<Object> info = await(commands.xinfoStream(logKey));
    for (int i = 0; i + 1 < info.size(); i += 2) {
      String field = String.valueOf(info.get(i));
      if (field.equals("entries-added") && info.get(i + 1) instanceof Long n) {
        added = n;
      } else if (field.equals("length") && info.get(i + 1) instanceof Long n) {
        length = n;
      }
    }
    if (added >= 0) {
      return added == length;
    }
    // Before Redis 7 nothing counts additions; our own trimming starts only once full.
    return length >= 0 && length < settings.logMaxLength();
  }

  private void deliverGap() {
    gaps.incrementAndGet();
    LOG.log(System.Logger.Level.WARNING, "The invalidation log " + logKey + " on "
        + links.describe() + " no longer reaches back to " + lastSeen + ", the last entry seen "
        + "before the disconnection: flushing the local tiers");
    List<StreamMessage<String, String>> newest =
        await(commands.xrevrange(logKey, Range.unbounded(), Limit.from(1)));
    lastSeen = newest.isEmpty() ? StreamIds.ZERO : newest.get(0).getId();
    deliverToReceivers(Invalidation.all(GAP_REASON).withOrigin(origin));
  }

  private void onMessage(String message) {
    int space = message.indexOf(' ');
    if (space <= 0) {
      malformed.incrementAndGet();
      return;
    }
    String id = message.substring(0, space);
    String body = message.substring(space + 1);
    if (replayPending) {
      // Delivered now, but lastSeen stays put until the replay has covered the gap before it;
      // the replay may deliver it again, which only drops an entry twice.
      deliver(body, received);
      return;
    }
    if (lastSeen != null && StreamIds.compare(id, lastSeen) <= 0) {
      return; // already delivered by a replay
    }
    lastSeen = id;
    deliver(body, received);
  }

  /**
   * Decodes and delivers a message body unless it is this bus's own, counting it in
   * {@code counter} first (so a receiver that reads the counters sees its own delivery).
   */
  private void deliver(String body, AtomicLong counter) {
    Invalidation invalidation;
    try {
      invalidation = InvalidationMessages.decode(body);
    } catch (InvalidationMessages.MalformedMessageException e) {
      malformed.incrementAndGet();
      if (malformed.get() == 1) {
        LOG.log(System.Logger.Level.WARNING, "Unreadable message on " + channel + " ("
            + e.getMessage() + "): flushing the local tiers rather than missing it");
      }
      // A newer writer's format or a damaged message: it invalidated something we cannot tell.
      deliverToReceivers(Invalidation.all("unreadable invalidation message: " + e.getMessage())
          .withOrigin(origin));
      return;
    }
    if (origin.equals(invalidation.origin())) {
      return;
    }
    counter.incrementAndGet();
    deliverToReceivers(invalidation);
  }

  private void deliverToReceivers(Invalidation invalidation) {
    for (Consumer<Invalidation> receiver : receivers) {
      try {
        receiver.accept(invalidation);
      } catch (RuntimeException e) {
        // One broken receiver must not keep the others (or later messages) from arriving.
        LOG.log(System.Logger.Level.WARNING, "An invalidation receiver failed on "
            + invalidation + ": " + e, e);
      }
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

  /**
   * Hands pub/sub events to the bus thread at once: Lettuce calls it on its I/O thread, which
   * must never wait for another Redis command (that would stall every connection on it).
   */
  private final class Listener extends RedisPubSubAdapter<String, String> {
    @Override
    public void message(String ch, String message) {
      if (channel.equals(ch) && !closed.get()) {
        execute(() -> onMessage(message));
      }
    }

    @Override
    public void subscribed(String ch, long count) {
      if (channel.equals(ch) && !closed.get()) {
        execute(RedisInvalidationBus.this::onSubscribed);
      }
    }

    private void execute(Runnable task) {
      try {
        thread.execute(task);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Closed meanwhile.
      }
    }
  }
}
