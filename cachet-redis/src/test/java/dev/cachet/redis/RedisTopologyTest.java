package dev.cachet.redis;

import static dev.cachet.redis.RedisStoreTest.digest;
import static dev.cachet.redis.RedisStoreTest.frame;
import static dev.cachet.redis.RedisStoreTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Sentinel and Cluster, with redis-server processes of the test's own. */
class RedisTopologyTest {

  @Test
  void sentinelFindsTheMaster() {
    try (RedisServerProcess master = RedisServerProcess.start();
        RedisServerProcess sentinel = RedisServerProcess.startSentinel(master.port(),
            "mymaster");
        RedisStore store = RedisStore.open("redis-sentinel://127.0.0.1:" + sentinel.port()
            + "?master=mymaster")) {
      String d = digest();
      store.put("ns", d, frame("via sentinel", 0, List.of()), 0, List.of());
      assertThat(text(store.get("ns", d))).isEqualTo("via sentinel");
      RedisClient raw = RedisClient.create(master.uri());
      try (StatefulRedisConnection<String, String> c = raw.connect()) {
        assertThat(c.sync().dbsize()).as("the entry is on the master").isPositive();
      } finally {
        raw.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      }
    }
  }

  @Test
  void clusterOfThreeMasters() {
    try (RedisClusterProcesses cluster = RedisClusterProcesses.start(3);
        RedisStore store = RedisStore.open(cluster.uri())) {
      assertThat(store.isCluster()).isTrue();
      Map<String, byte[]> batch = new LinkedHashMap<>();
      List<String> ds = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        String d = digest();
        ds.add(d);
        batch.put(d, frame("c" + i, 0, List.of("even", "all")));
      }
      // Entries spread over every master (no hash tag on entry keys).
      store.putAll("fn", batch, 0, List.of("all"));
      for (int i = 0; i < 300; i += 2) {
        store.put("fn", ds.get(i), batch.get(ds.get(i)), 0, List.of("even", "all"));
      }
      for (RedisServerProcess node : cluster.nodes) {
        assertThat(dbsize(node)).as("node " + node.port()).isGreaterThan(50);
      }
      assertThat(store.getAll("fn", ds)).hasSize(300);
      assertThat(new HashSet<>(store.digests("fn", 1000))).isEqualTo(new HashSet<>(ds));
      assertThat(store.countEntries("fn")).isEqualTo(300);

      assertThat(store.removeTag("even")).isEqualTo(150);
      assertThat(store.get("fn", ds.get(0))).isNull();
      assertThat(text(store.get("fn", ds.get(1)))).isEqualTo("c1");

      store.put("other", ds.get(0), frame("kept", 0, List.of()), 0, List.of());
      assertThat(store.removeNamespace("fn")).isEqualTo(150);
      assertThat(store.get("fn", ds.get(1))).isNull();
      assertThat(store.countEntries("fn")).isZero();
      assertThat(text(store.get("other", ds.get(0)))).isEqualTo("kept");
      assertThat(store.removeTag("all")).isZero(); // its entries went with the namespace

      store.clear();
      Set<Long> sizes = new HashSet<>();
      for (RedisServerProcess node : cluster.nodes) {
        sizes.add(dbsize(node));
      }
      assertThat(sizes).containsOnly(0L);

      // A single redis:// seed is detected as a Cluster node.
      try (RedisStore single = RedisStore.open("redis://127.0.0.1:"
          + cluster.nodes.get(0).port())) {
        assertThat(single.isCluster()).isTrue();
        String d = digest();
        single.put("x", d, frame("seed", 0, List.of()), 0, List.of());
        assertThat(text(store.get("x", d))).isEqualTo("seed");
      }
    }
  }

  @Test
  void clusterMasterKilledAndRestartedGivesNoCallerErrors() throws Exception {
    try (RedisClusterProcesses cluster = RedisClusterProcesses.start(3);
        RedisStore store = RedisStore.open(RedisStoreOptions.builder(cluster.uri())
            .commandTimeout(Duration.ofMillis(250)).build())) {
      List<String> ds = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        String d = digest();
        ds.add(d);
        store.put("fn", d, frame("v" + i, 0, List.of()), 0, List.of());
      }
      RedisServerProcess victim = cluster.nodes.get(1);
      victim.kill();
      // Whatever the breaker's state, every call returns (a value or a miss), never throws.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (System.nanoTime() < until) {
        for (int i = 0; i < ds.size(); i++) {
          String got = text(store.get("fn", ds.get(i)));
          assertThat(got).isIn(null, "v" + i);
          store.put("fn", ds.get(i), frame("v" + i, 0, List.of()), 0, List.of());
        }
      }
      victim.restart(); // same port and nodes.conf: it rejoins with its slots, empty
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (true) {
        int served = 0;
        for (int i = 0; i < ds.size(); i++) {
          store.put("fn", ds.get(i), frame("v" + i, 0, List.of()), 0, List.of());
          if (("v" + i).equals(text(store.get("fn", ds.get(i))))) {
            served++;
          }
        }
        if (served == ds.size()) {
          break;
        }
        assertThat(System.nanoTime()).as("every slot served again").isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  private static long dbsize(RedisServerProcess node) {
    RedisClient raw = RedisClient.create(node.uri());
    try (StatefulRedisConnection<String, String> c = raw.connect()) {
      return c.sync().dbsize();
    } finally {
      raw.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }
}
