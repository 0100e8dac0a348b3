package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.tier.FleetFlight;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fleet single-flight locks against the shared redis-server, under a prefix of the test's own. */
class RedisFleetFlightTest {
  private static final String NS = "fn:1:abcd:ef01";

  private CoherenceTestRedis redis;
  private final List<AutoCloseable> open = new ArrayList<>();
  private ExecutorService pool;

  @BeforeEach
  void connect() {
    redis = CoherenceTestRedis.local();
    pool = Executors.newFixedThreadPool(8);
  }

  @AfterEach
  void cleanUp() throws Exception {
    pool.shutdownNow();
    for (AutoCloseable c : open) {
      c.close();
    }
    if (redis != null) {
      try {
        assertThat(redis.keys(":lock:*")).as("lock keys left behind").isEmpty();
      } finally {
        redis.close();
      }
    }
  }

  private RedisFleetFlight flight(CoherenceSettings settings) {
    RedisFleetFlight f = RedisFleetFlight.open(redis.uri, settings);
    open.add(f);
    return f;
  }

  private RedisFleetFlight flight() {
    return flight(redis.settings());
  }

  private String lockKey(String digest) {
    return redis.prefix + ":lock:{" + NS + "}:" + digest;
  }

  @Test
  void exactlyOneOfManyThreadsAndInstancesLeads() throws Exception {
    List<RedisFleetFlight> flights = List.of(flight(), flight(), flight());
    int threads = 8;
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Future<FleetFlight.Lease>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      RedisFleetFlight f = flights.get(t % flights.size());
      results.add(pool.submit(() -> {
        start.await();
        return f.tryLead(NS, "race");
      }));
    }
    List<FleetFlight.Lease> leases = new ArrayList<>();
    for (Future<FleetFlight.Lease> r : results) {
      FleetFlight.Lease lease = r.get(10, TimeUnit.SECONDS);
      if (lease != null) {
        leases.add(lease);
      }
    }
    assertThat(leases).hasSize(1);
    String token = redis.redis().get(lockKey("race"));
    assertThat(token).as("the owner token names the process").matches("\\d+@.+/[0-9a-f]{8}/.+");
    long ttl = redis.redis().pttl(lockKey("race"));
    assertThat(ttl).isBetween(1L, 10_000L);
    leases.get(0).close();
    leases.get(0).close();
    assertThat(redis.redis().exists(lockKey("race"))).isZero();
    assertThat(flights.get(0).tryLead(NS, "race")).as("free again after release").isNotNull()
        .satisfies(FleetFlight.Lease::close);
  }

  @Test
  void renewalKeepsTheLockPastItsLifetimeWhileHeld() throws Exception {
    RedisFleetFlight a = flight(redis.settings().lockTtl(Duration.ofMillis(300)));
    RedisFleetFlight b = flight();
    try (FleetFlight.Lease lease = a.tryLead(NS, "long")) {
      assertThat(lease).isNotNull();
      // Renewals come a third of the lifetime apart: after four, the lock has outlived the
      // lifetime it was taken with. Waits on the count, not on a guess of the time it takes.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (a.stats().renewals() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(a.stats().renewals()).isGreaterThanOrEqualTo(4);
      assertThat(redis.redis().exists(lockKey("long"))).isOne();
      assertThat(b.tryLead(NS, "long")).isNull();
    }
    assertThat(redis.redis().exists(lockKey("long"))).isZero();
  }

  @Test
  void releaseWakesEveryWaiterAtOnce() throws Exception {
    RedisFleetFlight a = flight();
    RedisFleetFlight b = flight();
    RedisFleetFlight c = flight();
    FleetFlight.Lease lease = a.tryLead(NS, "wake");
    assertThat(lease).isNotNull();
    CountDownLatch waiting = new CountDownLatch(3);
    List<Future<Long>> woken = new ArrayList<>();
    for (RedisFleetFlight f : List.of(b, b, c)) {
      woken.add(pool.submit(() -> {
        waiting.countDown();
        boolean released = f.awaitRelease(NS, "wake", Duration.ofSeconds(10));
        assertThat(released).isTrue();
        return System.nanoTime();
      }));
    }
    waiting.await();
    // Release only once every waiter has found the lock held and waits for the announcement.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (b.parkedWaiters(NS, "wake") + c.parkedWaiters(NS, "wake") < 3) {
      assertThat(System.nanoTime()).as("three waiters parked within 10 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
    lease.close();
    for (Future<Long> w : woken) {
      w.get(10, TimeUnit.SECONDS);
    }
    // Each of the three waits ended through the release announcement, not a re-check of the
    // lock (which a lost announcement, or a waiter arriving after the release, would need).
    assertThat(b.stats().wokenByAnnouncement() + c.stats().wokenByAnnouncement())
        .as("waits ended by the announcement").isEqualTo(3);
    assertThat(b.stats().foundReleased() + c.stats().foundReleased()).isZero();
  }

  @Test
  void aReleaseBeforeTheWaiterArrivesIsNotWaitedFor() {
    RedisFleetFlight a = flight();
    RedisFleetFlight b = flight();
    a.tryLead(NS, "early").close();
    assertThat(b.awaitRelease(NS, "early", Duration.ofSeconds(5))).isTrue();
    assertThat(b.stats().foundReleased()).as("the first check saw the lock gone").isOne();
    assertThat(b.stats().wokenByAnnouncement()).isZero();
    assertThat(b.parkedWaiters(NS, "early")).isZero();
  }

  @Test
  void waitingIsBoundedWhileTheLockIsHeld() throws Exception {
    RedisFleetFlight a = flight();
    RedisFleetFlight b = flight();
    try (FleetFlight.Lease lease = a.tryLead(NS, "held")) {
      assertThat(lease).isNotNull();
      long start = System.nanoTime();
      assertThat(b.awaitRelease(NS, "held", Duration.ofMillis(300))).isFalse();
      // At least the time asked for; the upper bound only says the wait ends (no timing claim).
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
          .isBetween(290L, 10_000L);
      assertThat(b.stats().foundReleased() + b.stats().wokenByAnnouncement()).isZero();
    }
  }

  @Test
  void theLockOfAProcessThatDiedExpiresAndFreesItsWaiters() throws Exception {
    RedisFleetFlight dying = flight(redis.settings().lockTtl(Duration.ofMillis(400)));
    RedisFleetFlight b = flight();
    FleetFlight.Lease lease = dying.tryLead(NS, "orphan");
    // As if the process died mid-computation: no release, no more renewals.
    ((RedisFleetFlight.RedisLease) lease).abandon();
    long start = System.nanoTime();
    assertThat(b.awaitRelease(NS, "orphan", Duration.ofSeconds(5))).isTrue();
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(waited).as("until the lock expired").isGreaterThanOrEqualTo(200L);
    assertThat(b.stats().foundReleased()).as("found by a re-check, not announced").isOne();
    assertThat(b.stats().wokenByAnnouncement()).isZero();
    assertThat(redis.redis().exists(lockKey("orphan"))).isZero();
    FleetFlight.Lease next = b.tryLead(NS, "orphan");
    assertThat(next).isNotNull();
    next.close();
  }

  @Test
  void aLateReleaseNeverDeletesTheNextOwnersLock() throws Exception {
    RedisFleetFlight a = flight(redis.settings().lockTtl(Duration.ofMillis(200)));
    RedisFleetFlight b = flight();
    FleetFlight.Lease stale = a.tryLead(NS, "handover");
    ((RedisFleetFlight.RedisLease) stale).abandon();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (redis.redis().exists(lockKey("handover")) == 1) {
      assertThat(System.nanoTime()).as("the abandoned lock expires").isLessThan(deadline);
      Thread.onSpinWait();
    }
    FleetFlight.Lease current = b.tryLead(NS, "handover");
    assertThat(current).isNotNull();
    // The compare-and-delete sees another token: nothing happens.
    ((RedisFleetFlight.RedisLease) stale).closeEvenIfAbandoned();
    assertThat(redis.redis().exists(lockKey("handover"))).isOne();
    current.close();
  }

  @Test
  void withRedisDownTheCallerComputesLocallyWithoutWaiting() {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      RedisFleetFlight f = RedisFleetFlight.open(server.uri(),
          CoherenceSettings.defaults().commandTimeout(Duration.ofMillis(200)));
      open.add(f);
      server.kill();
      FleetFlight.Lease lease = f.tryLead(NS, "down");
      assertThat(lease).as("an unguarded lease: compute locally").isNotNull();
      lease.close();
      assertThat(f.awaitRelease(NS, "down", Duration.ofSeconds(5))).isFalse();
      assertThat(f.stats().failures()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void manyKeysInFlightLeaveNoLockBehind() throws Exception {
    RedisFleetFlight a = flight();
    RedisFleetFlight b = flight();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String digest = "k" + i;
      all.add(CompletableFuture.runAsync(() -> {
        for (RedisFleetFlight f : List.of(a, b)) {
          FleetFlight.Lease l = f.tryLead(NS, digest);
          if (l != null) {
            l.close();
          } else {
            f.awaitRelease(NS, digest, Duration.ofSeconds(5));
          }
        }
      }, pool));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThat(redis.keys(":lock:*")).isEmpty();
    assertThat(a.stats().led() + b.stats().led()).isGreaterThanOrEqualTo(200);
  }
}
