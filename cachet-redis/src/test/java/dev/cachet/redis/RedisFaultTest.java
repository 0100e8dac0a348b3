package dev.cachet.redis;

import static dev.cachet.redis.RedisStoreTest.digest;
import static dev.cachet.redis.RedisStoreTest.frame;
import static dev.cachet.redis.RedisStoreTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cachet;
import dev.cachet.MemoizedFunction;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Redis down, slow, restarting or cut off: callers never see an exception and always get the
 * right value; the breaker stops paying timeouts; the tier comes back by itself. Each test runs
 * its own redis-server.
 */
class RedisFaultTest {

  private static RedisStoreOptions.Builder options(String uri) {
    return RedisStoreOptions.builder(uri).commandTimeout(Duration.ofMillis(250));
  }

  @Test
  void killedAndRestartedMidLoadGivesNoCallerErrorsAndHitsResumeWithin10s() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      RedisStore store = RedisStore.open(options(server.uri()).build());
      // Memory keeps 16 of 400 keys, so most calls go down to Redis.
      try (Cachet cachet = Cachet.builder().maximumSize(16).store(store).build()) {
        AtomicLong computed = new AtomicLong();
        MemoizedFunction<Integer, String> twice = cachet.function("twice").version("1")
            .memoize((Integer k) -> {
              computed.incrementAndGet();
              return "v" + (2 * k);
            });
        AtomicBoolean stop = new AtomicBoolean();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicLong wrong = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          Thread w = new Thread(() -> {
            while (!stop.get()) {
              int k = ThreadLocalRandom.current().nextInt(400);
              try {
                if (!("v" + (2 * k)).equals(twice.apply(k))) {
                  wrong.incrementAndGet();
                }
                calls.incrementAndGet();
              } catch (Throwable e) {
                errors.add(e);
              }
              Thread.onSpinWait();
            }
          });
          w.start();
          workers.add(w);
        }
        try {
          long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (store.stats().hits() < 100) {
            assertThat(System.nanoTime()).as("Redis serves hits before the kill").isLessThan(warm);
            Thread.onSpinWait();
          }
          server.kill();
          long callsAtKill = calls.get();
          long down = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (calls.get() <= callsAtKill + 100 || !store.isCircuitOpen()) {
            assertThat(System.nanoTime()).as("callers keep going while Redis is down, and the"
                + " breaker opens").isLessThan(down);
            Thread.onSpinWait();
          }
          server.restart();
          long restarted = System.nanoTime();
          long hitsAtRestart = store.stats().hits();
          // 10 s: Lettuce retries the connection with an exponential delay (1 ms doubling),
          // so after this outage its next attempt may be up to ~4 s after the restart, and a
          // loaded CI machine measured 5.004 s once; the breaker is probed on reconnection.
          while (store.stats().hits() <= hitsAtRestart + 50) {
            assertThat(System.nanoTime() - restarted)
                .as("hits resume within 10 s of the restart").isLessThan(
                    TimeUnit.SECONDS.toNanos(10));
            Thread.sleep(20);
          }
          assertThat(store.isCircuitOpen()).isFalse();
        } finally {
          stop.set(true);
          for (Thread w : workers) {
            w.join(10_000);
          }
        }
        assertThat(errors).isEmpty();
        assertThat(wrong).hasValue(0);
        assertThat(store.stats().failures()).isPositive();
      }
    }
  }

  @Test
  void slowServerTripsTheBreakerSoLaterCallsDoNotPayTheTimeout() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start();
        RedisStore store = RedisStore.open(options(server.uri()).build())) {
      String d = digest();
      store.put("ns", d, frame("v", 0, List.of()), 0, List.of());
      pause(server, 2500);
      long skippedBefore = store.skippedCalls();
      for (int i = 0; i < 20; i++) {
        assertThat(store.get("ns", d)).isNull();
      }
      // Three failures (the threshold) open the breaker for a second; the other calls are
      // refused at once instead of each waiting out the command timeout.
      assertThat(store.skippedCalls() - skippedBefore)
          .as("calls refused by the open breaker, of 20").isGreaterThanOrEqualTo(17);
      assertThat(store.isCircuitOpen()).isTrue();
      // Once the server answers again the breaker closes by itself.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
      while (store.get("ns", d) == null) {
        assertThat(System.nanoTime()).as("the tier comes back").isLessThan(deadline);
        Thread.sleep(50);
      }
      assertThat(store.isCircuitOpen()).isFalse();
    }
  }

  @Test
  void downAtOpenThenStartedComesBackByItself() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      server.kill();
      try (RedisStore store = RedisStore.open(options(server.uri()).build())) {
        // open gave up on connecting (it waits at most about the connect timeout) and opened
        // the breaker, so the calls below are refused at once rather than each waiting.
        assertThat(store.isCircuitOpen()).as("opened without Redis, breaker open").isTrue();
        String d = digest();
        long skipped = store.skippedCalls();
        assertThat(store.get("ns", d)).isNull();
        assertThat(store.skippedCalls()).as("the read was refused by the open breaker")
            .isEqualTo(skipped + 1);
        store.put("ns", d, frame("v", 0, List.of()), 0, List.of());
        assertThat(store.remove("ns", d)).isFalse();
        assertThat(store.isCircuitOpen()).isTrue();
        server.restart();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
          store.put("ns", d, frame("back", 0, List.of()), 0, List.of());
          if ("back".equals(text(store.get("ns", d)))) {
            break;
          }
          assertThat(System.nanoTime()).as("connected within 5 s").isLessThan(deadline);
          Thread.sleep(50);
        }
      }
    }
  }

  @Test
  void invalidationsMadeWhileCutOffAreReplayedAndNeverServedStale() throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start();
        TcpProxy proxy = new TcpProxy(server.port());
        RedisStore store = RedisStore.open(options("redis://127.0.0.1:" + proxy.port())
            .build())) {
      String d = digest();
      String tagged = digest();
      store.put("ns", d, frame("old", 0, List.of()), 0, List.of());
      store.put("other", tagged, frame("old", 0, List.of("t")), 0, List.of("t"));
      store.put("gone", d, frame("old", 0, List.of()), 0, List.of());
      assertThat(text(store.get("ns", d))).isEqualTo("old");

      proxy.partition();
      assertThat(store.remove("ns", d)).isFalse();
      assertThat(store.removeTag("t")).isZero();
      assertThat(store.removeNamespace("gone")).isZero();
      proxy.heal();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
      RedisClient raw = RedisClient.create(server.uri());
      try (StatefulRedisConnection<String, String> c = raw.connect()) {
        while (!c.sync().keys("cachet:ns:*").isEmpty()
            || !c.sync().keys("cachet:other:*").isEmpty()
            || !c.sync().keys("cachet:gone:*").isEmpty()) {
          // Whatever the timing, the removed entries are never served again.
          assertThat(store.get("ns", d)).isNull();
          assertThat(store.get("other", tagged)).isNull();
          assertThat(store.get("gone", d)).isNull();
          assertThat(System.nanoTime()).as("replayed within 6 s").isLessThan(deadline);
          Thread.sleep(50);
        }
      } finally {
        raw.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      }
      assertThat(store.get("ns", d)).isNull();
      store.put("ns", d, frame("new", 0, List.of()), 0, List.of());
      assertThat(text(store.get("ns", d))).isEqualTo("new");
    }
  }

  @Test
  void strictModeSurfacesTheErrors() {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      try (RedisStore store = RedisStore.open(options(server.uri()).strict(true).build())) {
        String d = digest();
        store.put("ns", d, frame("v", 0, List.of()), 0, List.of());
        server.kill();
        assertThatThrownBy(() -> store.get("ns", d)).isInstanceOf(RedisStoreException.class)
            .hasMessageContaining("redis://127.0.0.1:" + server.port());
      }
      assertThatThrownBy(() -> RedisStore.open(server.uri() + "?strict=true"))
          .isInstanceOf(RedisStoreException.class)
          .hasMessageContaining("Cannot connect to Redis at redis://127.0.0.1:" + server.port())
          .hasMessageContaining("Check that the server runs");
    }
  }

  /** Makes the server answer nothing for a while, as a stalled or overloaded server would. */
  static void pause(RedisServerProcess server, long millis) {
    RedisClient client = RedisClient.create(server.uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().clientPause(millis);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }
}
