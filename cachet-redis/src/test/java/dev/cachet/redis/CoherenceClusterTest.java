package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.tier.FleetFlight;
import dev.cachet.tier.Invalidation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bus and fleet locks on a three-master Redis Cluster of the test's own. */
class CoherenceClusterTest {

  @Test
  void busAndLocksWorkAcrossTheClusterNodes() throws Exception {
    try (RedisClusterProcesses cluster = RedisClusterProcesses.start(3);
        RedisCoherence a = RedisCoherence.open(cluster.uri(), CoherenceSettings.defaults());
        RedisCoherence b = RedisCoherence.open(cluster.uri(), CoherenceSettings.defaults())) {
      BlockingQueue<Invalidation> atB = new LinkedBlockingQueue<>();
      b.bus().subscribe(atB::add);
      // Keys in many slots: the log lives in one, the channel reaches every node.
      for (int i = 0; i < 20; i++) {
        a.bus().publish(Invalidation.namespace("ns-" + i, "cluster"));
      }
      for (int i = 0; i < 20; i++) {
        Invalidation got = atB.poll(5, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(got.namespace()).isEqualTo("ns-" + i);
      }

      String channel = "cachet:inv";
      b.bus().pubSubConnection().sync().unsubscribe(channel);
      a.bus().publishAsync(Invalidation.tag("missed", "cluster")).get(5, TimeUnit.SECONDS);
      b.bus().pubSubConnection().sync().subscribe(channel);
      Invalidation replayed = atB.poll(5, TimeUnit.SECONDS);
      assertThat(replayed).isNotNull();
      assertThat(replayed.tag()).isEqualTo("missed");
      assertThat(a.bus().recent(1)).extracting(Invalidation::tag).containsExactly("missed");

      for (int i = 0; i < 10; i++) {
        String digest = "d" + i;
        FleetFlight.Lease lease = a.fleetFlight().tryLead("ns-" + i, digest);
        assertThat(lease).isNotNull();
        assertThat(b.fleetFlight().tryLead("ns-" + i, digest)).isNull();
        assertThat(a.fleetFlight().heldLocks(100)).hasSize(1);
        long start = System.nanoTime();
        Thread waiter = new Thread(() -> lease.close());
        waiter.start();
        assertThat(b.fleetFlight().awaitRelease("ns-" + i, digest, Duration.ofSeconds(5)))
            .isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(400);
        waiter.join();
      }
      assertThat(a.fleetFlight().heldLocks(100)).isEmpty();
      assertThat(List.of(a.bus().stats().publishFailures(), a.fleetFlight().stats().failures()))
          .containsOnly(0L);
    }
  }
}
