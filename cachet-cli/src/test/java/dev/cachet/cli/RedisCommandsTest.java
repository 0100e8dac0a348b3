package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.codec.EntryFrame;
import dev.cachet.redis.CoherenceSettings;
import dev.cachet.redis.RedisInvalidationBus;
import dev.cachet.redis.RedisStore;
import dev.cachet.tier.FleetFlight;
import dev.cachet.tier.Invalidation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code stats|inspect|clear|invalidate|audit --redis} against the shared redis-server on
 * 127.0.0.1:6379 (skipped without one, unless CACHET_REQUIRE_REDIS=1), under a prefix of the
 * test's own.
 */
class RedisCommandsTest {
  private static final String NS = "kb_search:1:ab12:cd34";

  private String prefix;
  private String uri;
  private RedisStore store;

  @BeforeEach
  void connect() {
    boolean up = answersPing();
    if (!up && "1".equals(System.getenv("CACHET_REQUIRE_REDIS"))) {
      throw new AssertionError("CACHET_REQUIRE_REDIS=1 but no redis-server on 127.0.0.1:6379");
    }
    Assumptions.assumeTrue(up, "no redis-server on 127.0.0.1:6379");
    prefix = "cachet-cli-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    // A generous timeout: each run is a cold start, and the machine may be loaded.
    uri = "redis://127.0.0.1:6379?timeout=5s&prefix=" + prefix;
    store = RedisStore.open(uri);
  }

  @AfterEach
  void cleanUp() {
    if (store != null) {
      store.clear();
      try (var client = io.lettuce.core.RedisClient.create("redis://127.0.0.1:6379");
          var c = client.connect()) {
        c.sync().del(prefix + ":inv:log");
      }
      store.close();
    }
  }

  private static boolean answersPing() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 6379), 300);
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      byte[] buf = new byte[16];
      int n = in.read(buf);
      return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] text(String s, String... tags) {
    return new EntryFrame("utf8", "java.lang.String", 1_700_000_000_000L, 0L, List.of(tags),
        s.getBytes(StandardCharsets.UTF_8)).encode();
  }

  @Test
  void invalidateRemovesFromRedisTellsTheFleetAndIsAudited() throws Exception {
    store.put(NS, "3f2a", text("stale answer"), 0, List.of());
    try (RedisInvalidationBus listener = RedisInvalidationBus.open("redis://127.0.0.1:6379",
        CoherenceSettings.defaults().prefix(prefix))) {
      BlockingQueue<Invalidation> received = new LinkedBlockingQueue<>();
      listener.subscribe(received::add);

      CliRun run = CliRun.of("invalidate", "--redis", uri, "--namespace", NS, "--key", "3f2a",
          "--reason", "bad answer reported");
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).contains("Removed entry 3f2a of namespace " + NS)
          .contains("invalidation log entry").contains("bad answer reported");
      assertThat(store.get(NS, "3f2a")).isNull();
      Invalidation got = received.poll(5, TimeUnit.SECONDS);
      assertThat(got).isNotNull();
      assertThat(got.scope()).isEqualTo(Invalidation.Scope.KEY);
      assertThat(got.digest()).isEqualTo("3f2a");
      assertThat(got.reason()).isEqualTo("bad answer reported");
      assertThat(got.origin()).matches("\\d+@.+/cli-[0-9a-f]+");
    }

    CliRun audit = CliRun.of("audit", "--redis", uri);
    assertThat(audit.exitCode()).as(audit.err()).isZero();
    assertThat(audit.out()).contains("WHEN", "WHO", "SCOPE", "WHAT", "WHY", "key",
        NS + " 3f2a", "bad answer reported", "/cli-", "1 invalidation.");
    CliRun json = CliRun.of("audit", "--redis", uri, "--json");
    assertThat(json.out().strip()).matches("\\{\"redis\": \".*\", \"entries\": \\[\\{\"id\": "
        + "\"\\d+-\\d+\", \"at\": \\d+, \"origin\": \"\\d+@.+/cli-[0-9a-f]+\", \"scope\": \"key\", "
        + "\"namespace\": \"" + NS + "\", \"digest\": \"3f2a\", \"tag\": null, \"reason\": "
        + "\"bad answer reported\"\\}\\]\\}");
  }

  @Test
  void invalidateNeedsExactlyOneScope() {
    CliRun none = CliRun.of("invalidate", "--redis", uri);
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("Say what to invalidate");
    CliRun two = CliRun.of("invalidate", "--redis", uri, "--tag", "t", "--all");
    assertThat(two.err()).contains("only one of");
    CliRun keyAlone = CliRun.of("invalidate", "--redis", uri, "--key", "3f2a");
    assertThat(keyAlone.err()).contains("--key needs --namespace");
  }

  @Test
  void clearByTagRemovesAndPublishes() {
    store.put(NS, "aaaa", text("one", "tenant-42"), 0, List.of("tenant-42"));
    store.put(NS, "bbbb", text("two"), 0, List.of());
    CliRun run = CliRun.of("clear", "--redis", uri, "--tag", "tenant-42", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("\"scope\": \"tag\"", "\"removed\": 1", "\"logId\": \"");
    assertThat(store.get(NS, "aaaa")).isNull();
    assertThat(store.get(NS, "bbbb")).isNotNull();
    assertThat(CliRun.of("audit", "--redis", uri).out()).contains("tag", "tenant-42");
  }

  @Test
  void inspectListsANamespaceAndShowsOneEntry() {
    store.put(NS, "aaaa", text("hello world", "red"), 0, List.of("red"));
    store.put(NS, "bbbb", text("other"), 0, List.of());
    CliRun list = CliRun.of("inspect", "--redis", uri, "--namespace", NS);
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains("DIGEST", "aaaa", "bbbb", "utf8", "java.lang.String", "red",
        "2 entries.");
    CliRun one = CliRun.of("inspect", "--redis", uri, "--namespace", NS, "--key", "aaaa");
    assertThat(one.out()).containsPattern("payload\\s+hello world").contains("red");
    CliRun missing = CliRun.of("inspect", "--redis", uri, "--namespace", NS, "--key", "zzzz");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("No entry with digest zzzz");
    CliRun noNamespace = CliRun.of("inspect", "--redis", uri);
    assertThat(noNamespace.err()).contains("needs --namespace");
  }

  @Test
  void statsShowsTheLogAndTheLocksHeld() {
    store.put(NS, "aaaa", text("x"), 0, List.of());
    FleetFlight flight = store.fleetFlight().orElseThrow();
    try (FleetFlight.Lease lease = flight.tryLead(NS, "cccc")) {
      assertThat(CliRun.of("invalidate", "--redis", uri, "--all").exitCode()).isZero();
      CliRun run = CliRun.of("stats", "--redis", uri, "--namespace", NS);
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).containsPattern("entries of " + NS + "\\s+0")
          .containsPattern("invalidation log\\s+1 entry").containsPattern("fleet locks held\\s+1");
      CliRun json = CliRun.of("stats", "--redis", uri, "--json");
      assertThat(json.out().strip()).matches("\\{\"redis\": \".*\", \"cluster\": false, "
          + "\"databaseKeys\": \\d+, \"invalidationLog\": \\{\"length\": 1, \"oldest\": \\d+, "
          + "\"newest\": \\d+\\}, \"locksHeld\": 1\\}");
      assertThat(lease).isNotNull();
    }
  }

  @Test
  void aStoreCommandTakesADirectoryOrRedisNotBoth() {
    CliRun neither = CliRun.of("stats");
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(neither.err()).contains("give a disk store directory (DIR) or --redis URI");
    CliRun both = CliRun.of("clear", "some-dir", "--redis", uri);
    assertThat(both.err()).contains("not both");
  }

  @Test
  void anUnreachableRedisIsOneClearLine() {
    CliRun run = CliRun.of("audit", "--redis", "redis://127.0.0.1:1?connectTimeout=300ms");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Cannot connect to Redis at").doesNotContain("\tat ");
  }
}
