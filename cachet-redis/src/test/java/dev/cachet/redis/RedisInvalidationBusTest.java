package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.tier.Invalidation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The invalidation bus against the shared redis-server, each test under a prefix of its own. */
class RedisInvalidationBusTest {
  private CoherenceTestRedis redis;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void connect() {
    redis = CoherenceTestRedis.local();
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private RedisInvalidationBus bus(CoherenceSettings settings) {
    RedisInvalidationBus bus = RedisInvalidationBus.open(redis.uri, settings);
    open.add(bus);
    return bus;
  }

  private RedisInvalidationBus bus() {
    return bus(redis.settings());
  }

  private static BlockingQueue<Invalidation> inbox(RedisInvalidationBus bus) {
    BlockingQueue<Invalidation> q = new LinkedBlockingQueue<>();
    bus.subscribe(q::add);
    return q;
  }

  private static Invalidation next(BlockingQueue<Invalidation> q) throws InterruptedException {
    Invalidation i = q.poll(5, TimeUnit.SECONDS);
    assertThat(i).as("an invalidation within 5 s").isNotNull();
    return i;
  }

  /**
   * Asserts that nothing but a marker reaches each inbox: a third bus publishes the marker, and
   * as the channel keeps order, whatever was published before it has arrived once it has, so
   * no test needs to sleep to see that nothing else came.
   */
  private void assertNothingElseArrives(List<BlockingQueue<Invalidation>> inboxes)
      throws InterruptedException {
    RedisInvalidationBus marker = bus();
    String tag = "marker-" + System.nanoTime();
    marker.publish(Invalidation.tag(tag, "test"));
    for (BlockingQueue<Invalidation> inbox : inboxes) {
      assertThat(next(inbox).tag()).as("the first arrival after the checks").isEqualTo(tag);
    }
  }

  @Test
  void everyScopeReachesTheOtherBusWithItsOriginAndReason() throws Exception {
    RedisInvalidationBus a = bus();
    RedisInvalidationBus b = bus();
    BlockingQueue<Invalidation> received = inbox(b);
    List<Invalidation> sent = List.of(
        Invalidation.key("fn:1:abc:def", "3f2a", "invalidate"),
        Invalidation.namespace("fn:1:abc:def", "cacheClear"),
        Invalidation.tag("tenant-42", "tenant deleted"),
        Invalidation.all("deploy \"v2\"\nwith newline"));
    for (Invalidation i : sent) {
      a.publish(i);
    }
    for (Invalidation i : sent) {
      Invalidation got = next(received);
      assertThat(got).isEqualTo(i.withOrigin(a.origin()));
    }
    assertThat(a.origin()).matches("\\d+@.+/[0-9a-f]{8}").isNotEqualTo(b.origin());
    assertThat(b.stats().received()).isEqualTo(4);
  }

  @Test
  void aBusNeverReceivesItsOwnInvalidations() throws Exception {
    RedisInvalidationBus a = bus();
    RedisInvalidationBus b = bus();
    BlockingQueue<Invalidation> atA = inbox(a);
    BlockingQueue<Invalidation> atB = inbox(b);
    a.publish(Invalidation.tag("from-a", "test"));
    b.publish(Invalidation.tag("from-b", "test"));
    // The channel keeps order: by the time A has B's message, it has had its own (and dropped it).
    assertThat(next(atA).tag()).isEqualTo("from-b");
    assertThat(next(atB).tag()).isEqualTo("from-a");
    assertNothingElseArrives(List.of(atA, atB));
  }

  @Test
  void theLogRecordsWhoWhatWhenAndWhyNewestFirst() throws Exception {
    RedisInvalidationBus a = bus();
    long before = System.currentTimeMillis();
    for (int i = 0; i < 3; i++) {
      a.publishAsync(Invalidation.key("ns", "d" + i, "reason " + i)).get(5, TimeUnit.SECONDS);
    }
    List<Invalidation> recent = a.recent(2);
    assertThat(recent).extracting(Invalidation::digest).containsExactly("d2", "d1");
    assertThat(recent).allSatisfy(i -> {
      assertThat(i.origin()).isEqualTo(a.origin());
      assertThat(i.atMillis()).isBetween(before, System.currentTimeMillis());
    });
    assertThat(recent.get(0).reason()).isEqualTo("reason 2");
    assertThat(a.log(10)).hasSize(3).first()
        .satisfies(e -> assertThat(e.id()).matches("\\d+-\\d+"));
    assertThat(a.stats().published()).isEqualTo(3);
  }

  @Test
  void theLogIsCappedNearItsMaximumLength() throws Exception {
    RedisInvalidationBus a = bus(redis.settings().logMaxLength(50));
    for (int i = 0; i < 400; i++) {
      a.publish(Invalidation.key("ns", "d" + i, "fill"));
    }
    a.publishAsync(Invalidation.key("ns", "last", "fill")).get(5, TimeUnit.SECONDS);
    // MAXLEN ~ trims whole stream nodes (100 entries by default), never below the maximum.
    assertThat(redis.redis().xlen(redis.prefix + ":inv:log")).isBetween(50L, 150L);
  }

  @Test
  void whatWasPublishedWhileUnsubscribedIsReplayedInOrderOnResubscription() throws Exception {
    RedisInvalidationBus a = bus();
    RedisInvalidationBus b = bus();
    BlockingQueue<Invalidation> atB = inbox(b);
    a.publish(Invalidation.key("ns", "before", "test"));
    assertThat(next(atB).digest()).isEqualTo("before");

    String channel = redis.prefix + ":inv";
    b.pubSubConnection().sync().unsubscribe(channel);
    for (int i = 0; i < 3; i++) {
      a.publishAsync(Invalidation.key("ns", "missed" + i, "test")).get(5, TimeUnit.SECONDS);
    }
    b.publishAsync(Invalidation.key("ns", "own", "test")).get(5, TimeUnit.SECONDS);
    // Anything that arrived while unsubscribed would show up as a duplicate below.
    assertThat(atB).as("nothing arrives while unsubscribed").isEmpty();

    b.pubSubConnection().sync().subscribe(channel);
    assertThat(List.of(next(atB), next(atB), next(atB))).extracting(Invalidation::digest)
        .containsExactly("missed0", "missed1", "missed2");
    a.publish(Invalidation.key("ns", "after", "test"));
    assertThat(next(atB).digest()).isEqualTo("after");
    assertNothingElseArrives(List.of(atB)); // no duplicates, and never its own
    assertThat(b.stats().replayed()).isEqualTo(3);
    assertThat(b.stats().reconnections()).isEqualTo(1);
    assertThat(b.stats().gaps()).isZero();
  }

  @Test
  void aKilledConnectionReconnectsAndLosesNothing() throws Exception {
    RedisInvalidationBus a = bus();
    RedisInvalidationBus b = bus();
    BlockingQueue<Invalidation> atB = inbox(b);
    a.publish(Invalidation.key("ns", "warm-up", "test"));
    assertThat(next(atB).digest()).isEqualTo("warm-up");

    assertThat(redis.killClientsNamed("cachet-bus/" + b.instanceId())).isEqualTo(1);
    for (int i = 0; i < 20; i++) {
      a.publish(Invalidation.key("ns", "k" + i, "during reconnection"));
    }
    List<String> digests = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      digests.add(next(atB).digest());
    }
    assertThat(digests).containsExactlyElementsOf(
        java.util.stream.IntStream.range(0, 20).mapToObj(i -> "k" + i).toList());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (b.stats().reconnections() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(b.stats().reconnections()).as("the resubscription was noticed").isEqualTo(1);
    assertNothingElseArrives(List.of(atB));
  }

  @Test
  void aLogTrimmedPastTheLastSeenEntryFlushesEverything() throws Exception {
    CoherenceSettings small = redis.settings().logMaxLength(10);
    RedisInvalidationBus a = bus(small);
    RedisInvalidationBus b = bus(small);
    BlockingQueue<Invalidation> atB = inbox(b);
    a.publish(Invalidation.key("ns", "seen", "test"));
    assertThat(next(atB).digest()).isEqualTo("seen");

    String channel = redis.prefix + ":inv";
    b.pubSubConnection().sync().unsubscribe(channel);
    for (int i = 0; i < 300; i++) {
      a.publish(Invalidation.key("ns", "m" + i, "test"));
    }
    a.publishAsync(Invalidation.key("ns", "m-last", "test")).get(5, TimeUnit.SECONDS);
    b.pubSubConnection().sync().subscribe(channel);

    Invalidation gap = next(atB);
    assertThat(gap.scope()).isEqualTo(Invalidation.Scope.ALL);
    assertThat(gap.reason()).isEqualTo(RedisInvalidationBus.GAP_REASON);
    a.publish(Invalidation.key("ns", "after", "test"));
    assertThat(next(atB).digest()).as("the missed entries are not replayed").isEqualTo("after");
    assertThat(b.stats().gaps()).isEqualTo(1);
  }

  @Test
  void aLostLogFlushesEverything() throws Exception {
    RedisInvalidationBus a = bus();
    RedisInvalidationBus b = bus();
    BlockingQueue<Invalidation> atB = inbox(b);
    a.publish(Invalidation.key("ns", "seen", "test"));
    assertThat(next(atB).digest()).isEqualTo("seen");
    String channel = redis.prefix + ":inv";
    b.pubSubConnection().sync().unsubscribe(channel);
    // As if the server had restarted without persistence: the log is gone, then grows again.
    redis.redis().del(redis.prefix + ":inv:log");
    a.publishAsync(Invalidation.key("ns", "after-restart", "test")).get(5, TimeUnit.SECONDS);
    b.pubSubConnection().sync().subscribe(channel);
    assertThat(next(atB).scope()).isEqualTo(Invalidation.Scope.ALL);
  }

  @Test
  void aBusStartedOnAnEmptyLogReplaysEverythingUntrimmed() throws Exception {
    RedisInvalidationBus b = bus();
    BlockingQueue<Invalidation> atB = inbox(b);
    String channel = redis.prefix + ":inv";
    b.pubSubConnection().sync().unsubscribe(channel);
    RedisInvalidationBus a = bus();
    a.publishAsync(Invalidation.tag("t", "first ever")).get(5, TimeUnit.SECONDS);
    b.pubSubConnection().sync().subscribe(channel);
    Invalidation got = next(atB);
    assertThat(got.scope()).isEqualTo(Invalidation.Scope.TAG);
    assertThat(got.tag()).isEqualTo("t");
  }

  @Test
  void anEntryInANewerFormatFlushesEverythingRatherThanBeingMissed() throws Exception {
    RedisInvalidationBus b = bus();
    BlockingQueue<Invalidation> atB = inbox(b);
    String channel = redis.prefix + ":inv";
    b.pubSubConnection().sync().unsubscribe(channel);
    redis.redis().xadd(redis.prefix + ":inv:log", "m", "{\"v\":2,\"what\":\"something new\"}");
    b.pubSubConnection().sync().subscribe(channel);
    Invalidation got = next(atB);
    assertThat(got.scope()).isEqualTo(Invalidation.Scope.ALL);
    assertThat(got.reason()).startsWith("unreadable invalidation message");
    assertThat(b.stats().malformed()).isEqualTo(1);
  }

  @Test
  void aThrowingReceiverDoesNotStopTheOthers() throws Exception {
    RedisInvalidationBus a = bus();
    RedisInvalidationBus b = bus();
    b.subscribe(i -> {
      throw new IllegalStateException("broken receiver (expected by the test)");
    });
    BlockingQueue<Invalidation> atB = inbox(b);
    a.publish(Invalidation.tag("t1", "test"));
    a.publish(Invalidation.tag("t2", "test"));
    assertThat(next(atB).tag()).isEqualTo("t1");
    assertThat(next(atB).tag()).isEqualTo("t2");
  }

  @Test
  void publishingWhileRedisIsDownNeitherThrowsNorBlocksAndCounts() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      // A server of its own: the shared one must keep running for everyone else.
      RedisInvalidationBus down = RedisInvalidationBus.open(server.uri(),
          CoherenceSettings.defaults().commandTimeout(Duration.ofMillis(300)));
      open.add(down);
      server.kill();
      long start = System.nanoTime();
      down.publish(Invalidation.tag("t", "while down"));
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(200);
      assertThatThrownBy(() -> down.publishAsync(Invalidation.tag("t", "while down"))
          .get(5, TimeUnit.SECONDS)).hasRootCauseInstanceOf(Exception.class);
      assertThat(down.stats().publishFailures()).isGreaterThanOrEqualTo(2);
      assertThat(down.stats().unsent()).isEqualTo(2);
      assertThat(down.recent(5)).isEmpty();
    }
  }

  @Test
  void invalidationsThatFailedDuringAnOutageAreSentOnceRedisIsBack() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      CoherenceSettings settings = CoherenceSettings.defaults()
          .commandTimeout(Duration.ofMillis(300));
      RedisInvalidationBus a = RedisInvalidationBus.open(server.uri(), settings);
      open.add(a);
      RedisInvalidationBus b = RedisInvalidationBus.open(server.uri(), settings);
      open.add(b);
      BlockingQueue<Invalidation> atB = inbox(b);
      server.kill();
      for (int i = 0; i < 3; i++) {
        a.publish(Invalidation.tag("during-outage-" + i, "test"));
      }
      server.restart();
      // b's log position is gone with the server: it flushes (ALL), then gets a's resends.
      List<String> got = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (got.size() < 3 && System.nanoTime() < deadline) {
        Invalidation i = atB.poll(100, TimeUnit.MILLISECONDS);
        if (i != null && i.scope() == Invalidation.Scope.TAG) {
          got.add(i.tag());
        }
      }
      assertThat(got).containsExactly("during-outage-0", "during-outage-1", "during-outage-2");
      while (a.stats().unsent() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10); // counted just after b could see it
      }
      assertThat(a.stats().resent()).isEqualTo(3);
      assertThat(a.stats().unsent()).isZero();
      assertThat(a.recent(3)).extracting(Invalidation::tag)
          .containsExactly("during-outage-2", "during-outage-1", "during-outage-0");
    }
  }

  @Test
  void closedBusRefusesToPublishAndClosesTwiceQuietly() {
    RedisInvalidationBus a = bus();
    a.close();
    a.close();
    assertThatThrownBy(() -> a.publish(Invalidation.tag("t", "late")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }
}
