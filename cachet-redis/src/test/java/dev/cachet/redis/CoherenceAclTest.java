package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.tier.FleetFlight;
import dev.cachet.tier.Invalidation;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bus and fleet locks under a least-privilege ACL user: keys and channels of its prefix
 * only, and no {@code CLIENT SETNAME} (naming the pub/sub connections is best effort).
 */
class CoherenceAclTest {

  @Test
  void worksWithAUserLimitedToItsPrefix() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      RedisClient admin = RedisClient.create(server.uri());
      try (var c = admin.connect()) {
        c.sync().dispatch(io.lettuce.core.protocol.CommandType.ACL,
            new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
            new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                .add("SETUSER").add("app").add("on").add(">s3cret").add("resetkeys")
                .add("~app:*").add("resetchannels").add("&app:*").add("+@all")
                .add("-client|setname"));
      } finally {
        admin.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      }
      String uri = "redis://app:s3cret@127.0.0.1:" + server.port() + "?prefix=app&timeout=5s";
      try (RedisCoherence a = RedisCoherence.open(uri, CoherenceSettings.defaults());
          RedisCoherence b = RedisCoherence.open(uri, CoherenceSettings.defaults())) {
        BlockingQueue<Invalidation> atB = new LinkedBlockingQueue<>();
        b.bus().subscribe(atB::add);
        a.bus().publishAsync(Invalidation.tag("t", "acl")).get(5, TimeUnit.SECONDS);
        Invalidation got = atB.poll(5, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(got.tag()).isEqualTo("t");
        assertThat(b.bus().recent(1)).hasSize(1);

        try (FleetFlight.Lease lease = a.fleetFlight().tryLead("ns", "d")) {
          assertThat(lease).isNotNull();
          assertThat(b.fleetFlight().tryLead("ns", "d")).isNull();
        }
        assertThat(b.fleetFlight().awaitRelease("ns", "d", Duration.ofSeconds(1))).isTrue();
        assertThat(a.fleetFlight().stats().failures()).isZero();
        assertThat(a.bus().stats().publishFailures()).isZero();
      }
    }
  }
}
