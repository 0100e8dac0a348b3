package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisEndpointTest {

  @Test
  void standaloneWithDefaults() {
    RedisEndpoint e = RedisEndpoint.parse("redis://127.0.0.1");
    assertThat(e.kind).isEqualTo(RedisEndpoint.Kind.STANDALONE);
    assertThat(e.detectCluster).isTrue();
    assertThat(e.hosts).containsExactly(new RedisEndpoint.HostPort("127.0.0.1", 6379));
    assertThat(e.tls).isFalse();
    assertThat(e.database).isZero();
    assertThat(e.password).isNull();
  }

  @Test
  void aclUserPasswordTlsDatabaseAndOptions() {
    RedisStoreOptions o = RedisStoreOptions.fromUri("rediss://alice:p%40ss%3Aw@cache.internal:6380"
        + "/3?prefix=billing&timeout=300ms&connectTimeout=1s&verifyPeer=ca&clientName=svc");
    RedisEndpoint e = o.endpoint;
    assertThat(e.tls).isTrue();
    assertThat(e.user).isEqualTo("alice");
    assertThat(new String(e.password)).isEqualTo("p@ss:w");
    assertThat(e.database).isEqualTo(3);
    assertThat(e.verifyPeer).isEqualTo(SslVerifyMode.CA);
    assertThat(o.prefix()).isEqualTo("billing");
    assertThat(o.commandTimeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    RedisURI uri = e.lettuceUris(o.commandTimeout()).get(0);
    assertThat(uri.isSsl()).isTrue();
    io.lettuce.core.RedisCredentials credentials =
        uri.getCredentialsProvider().resolveCredentials().block();
    assertThat(credentials.getUsername()).isEqualTo("alice");
    assertThat(new String(credentials.getPassword())).isEqualTo("p@ss:w");
    assertThat(uri.getDatabase()).isEqualTo(3);
    assertThat(uri.getTimeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(uri.getClientName()).isEqualTo("svc");
    // Never the password, in any message.
    assertThat(o.uri()).doesNotContain("p%40ss").contains("alice:***@");
    assertThat(e.describe()).doesNotContain("p@ss").startsWith("rediss://alice@cache.internal");
  }

  @Test
  void passwordWithoutUser() {
    assertThat(new String(RedisEndpoint.parse("redis://:secret@h").password)).isEqualTo("secret");
    RedisEndpoint alone = RedisEndpoint.parse("redis://secret@h");
    assertThat(alone.user).isNull();
    assertThat(new String(alone.password)).isEqualTo("secret");
  }

  @Test
  void severalHostsAreACluster() {
    RedisEndpoint e = RedisEndpoint.parse("redis://a:7000,b:7001,[::1]:7002");
    assertThat(e.kind).isEqualTo(RedisEndpoint.Kind.CLUSTER);
    assertThat(e.hosts).extracting(RedisEndpoint.HostPort::port).containsExactly(7000, 7001, 7002);
    assertThat(e.hosts.get(2).host()).isEqualTo("::1");
    assertThat(e.lettuceUris(Duration.ofMillis(500))).hasSize(3);
    assertThat(RedisEndpoint.parse("redis-cluster://a:7000").kind)
        .isEqualTo(RedisEndpoint.Kind.CLUSTER);
    assertThat(RedisEndpoint.parse("redis://a:7000?cluster=true").kind)
        .isEqualTo(RedisEndpoint.Kind.CLUSTER);
    assertThat(RedisEndpoint.parse("redis://a:7000?cluster=false").detectCluster).isFalse();
  }

  @Test
  void sentinel() {
    RedisEndpoint e = RedisEndpoint.parse("redis-sentinel://:pw@s1,s2:26380?master=mymaster");
    assertThat(e.kind).isEqualTo(RedisEndpoint.Kind.SENTINEL);
    assertThat(e.hosts).containsExactly(new RedisEndpoint.HostPort("s1", 26379),
        new RedisEndpoint.HostPort("s2", 26380));
    RedisURI uri = e.lettuceUris(Duration.ofMillis(500)).get(0);
    assertThat(uri.getSentinelMasterId()).isEqualTo("mymaster");
    assertThat(uri.getSentinels()).hasSize(2);
    assertThat(RedisEndpoint.parse("redis-sentinel://s1#other").sentinelMaster).isEqualTo("other");
  }

  @Test
  void badUrisSayWhatIsWrongAndShowAnExample() {
    for (String[] c : List.of(
        new String[] {"", "empty"},
        new String[] {"localhost:6379", "no scheme"},
        new String[] {"http://h:1", "scheme 'http'"},
        new String[] {"redis://", "no host"},
        new String[] {"redis://h:port", "port 'port'"},
        new String[] {"redis://h:70000", "outside 1-65535"},
        new String[] {"redis://h/x", "database 'x'"},
        new String[] {"redis://h?tiemout=1s", "option 'tiemout' is unknown"},
        new String[] {"redis://h?timeout=soon", "not a duration"},
        new String[] {"redis://h?verifyPeer=full", "verifyPeer needs TLS"},
        new String[] {"redis-sentinel://h", "name of the monitored master"},
        new String[] {"redis://a,b/2", "only database 0"},
        new String[] {"redis://h,", "empty"},
        new String[] {"redis://::1", "brackets"},
        new String[] {"redis://u:secret@h?prefix=a:b", "prefix"})) {
      assertThatThrownBy(() -> RedisStoreOptions.fromUri(c[0]))
          .as(c[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(c[1])
          .hasMessageContaining("Example of a valid URI: redis://127.0.0.1:6379")
          .hasMessageNotContaining("secret");
    }
  }

  @Test
  void durations() {
    assertThat(RedisEndpoint.parseDuration("u", "t", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(RedisEndpoint.parseDuration("u", "t", "1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(RedisEndpoint.parseDuration("u", "t", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(RedisEndpoint.parseDuration("u", "t", "40")).isEqualTo(Duration.ofMillis(40));
    assertThatThrownBy(() -> RedisEndpoint.parseDuration("u", "t", "0"))
        .hasMessageContaining("positive");
  }

  @Test
  void redaction() {
    assertThat(RedisEndpoint.redact("redis://u:pw@h:1/0?x=1")).isEqualTo("redis://u:***@h:1/0?x=1");
    assertThat(RedisEndpoint.redact("redis://pw@h")).isEqualTo("redis://***@h");
    assertThat(RedisEndpoint.redact("redis://h:1")).isEqualTo("redis://h:1");
  }
}
