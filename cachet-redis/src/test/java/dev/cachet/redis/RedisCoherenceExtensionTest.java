package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.tier.FleetFlight;
import dev.cachet.tier.Invalidation;
import dev.cachet.tier.InvalidationBus;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bus and fleet single-flight as a {@link RedisStore} offers them. */
class RedisCoherenceExtensionTest {

  @Test
  void storesSharingAPrefixShareTheBusAndForgetRemovedNamespaces() throws Exception {
    try (CoherenceTestRedis redis = CoherenceTestRedis.local();
        RedisStore a = RedisStore.open(redis.storeUri);
        RedisStore b = RedisStore.open(redis.storeUri)) {
      InvalidationBus busA = a.invalidationBus().orElseThrow();
      InvalidationBus busB = b.invalidationBus().orElseThrow();
      BlockingQueue<Invalidation> atB = new LinkedBlockingQueue<>();
      busB.subscribe(atB::add);

      byte[] frame = new dev.cachet.codec.EntryFrame("json", "0123456789abcdef",
          System.currentTimeMillis(), 0, List.of(), "42".getBytes(
              java.nio.charset.StandardCharsets.UTF_8)).encode();
      a.put("ns", "d1", frame, 0, List.of());
      assertThat(b.get("ns", "d1")).as("b caches the namespace's version").isEqualTo(frame);
      a.removeNamespace("ns");
      busA.publish(Invalidation.namespace("ns", "cacheClear"));
      Invalidation got = atB.poll(5, TimeUnit.SECONDS);
      assertThat(got).isNotNull();
      assertThat(got.namespace()).isEqualTo("ns");
      // Well within the 1 s version cache: only the bus can have told b.
      assertThat(b.get("ns", "d1")).isNull();
      assertThat(busA.recent(1)).extracting(Invalidation::reason).containsExactly("cacheClear");

      FleetFlight flightA = a.fleetFlight().orElseThrow();
      FleetFlight flightB = b.fleetFlight().orElseThrow();
      try (FleetFlight.Lease lease = flightA.tryLead("ns", "d2")) {
        assertThat(lease).isNotNull();
        assertThat(flightB.tryLead("ns", "d2")).isNull();
      }
      assertThat(flightB.awaitRelease("ns", "d2", java.time.Duration.ofSeconds(1))).isTrue();
    }
  }

  @Test
  void aStoreOpenedWhileRedisIsDownStartsItsBusLaterAndFlushes() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      server.kill();
      try (RedisStore store = RedisStore.open(server.uri() + "?connectTimeout=300ms")) {
        InvalidationBus bus = store.invalidationBus().orElseThrow();
        BlockingQueue<Invalidation> received = new LinkedBlockingQueue<>();
        bus.subscribe(received::add);
        bus.publish(Invalidation.tag("t", "while down"));
        FleetFlight.Lease lease = store.fleetFlight().orElseThrow().tryLead("ns", "d");
        assertThat(lease).as("compute locally").isNotNull();
        lease.close();

        server.restart();
        Invalidation late = received.poll(10, TimeUnit.SECONDS);
        assertThat(late).as("an ALL once the bus could start").isNotNull();
        assertThat(late.scope()).isEqualTo(Invalidation.Scope.ALL);
        assertThat(late.reason()).isEqualTo(RedisCoherenceExtension.LATE_START_REASON);

        try (RedisInvalidationBus other = RedisInvalidationBus.open(server.uri(),
            CoherenceSettings.defaults())) {
          assertThat(other.recent(5)).as("what was published while down was sent at start")
              .extracting(Invalidation::reason).containsExactly("while down");
          other.publish(Invalidation.tag("t2", "after start"));
          Invalidation next = received.poll(5, TimeUnit.SECONDS);
          assertThat(next).isNotNull();
          assertThat(next.tag()).isEqualTo("t2");
        }
      }
    }
  }
}
