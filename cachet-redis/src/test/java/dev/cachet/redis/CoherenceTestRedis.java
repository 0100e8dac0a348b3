package dev.cachet.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A raw connection to the shared test Redis and a key prefix of the test's own, so tests of the
 * bus and locks neither see nor disturb anyone else's keys on the shared server. Closing deletes
 * every key under the prefix.
 */
final class CoherenceTestRedis implements AutoCloseable {
  /**
   * The server's URI with a generous command timeout ({@code ?timeout=5s}): under a loaded
   * machine, a cold JVM's first handshake can take longer than the store's 500 ms default.
   */
  final String uri;
  /** {@link #uri} with this test's prefix, for stores and Cachets. */
  final String storeUri;
  final String prefix;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  CoherenceTestRedis(String uri) {
    this.uri = uri + "?timeout=5s";
    this.prefix = "cachet-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    this.storeUri = this.uri + "&prefix=" + prefix;
    this.client = RedisClient.create(uri);
    this.connection = client.connect();
  }

  /** The shared server at 127.0.0.1:6379 (skips the test when absent). */
  static CoherenceTestRedis local() {
    return new CoherenceTestRedis(LocalRedis.uri());
  }

  /** Settings with this test's prefix and a short command timeout. */
  CoherenceSettings settings() {
    return CoherenceSettings.defaults().prefix(prefix).commandTimeout(Duration.ofSeconds(2));
  }

  RedisCommands<String, String> redis() {
    return connection.sync();
  }

  /** The keys under this test's prefix matching {@code pattern} (after the prefix). */
  List<String> keys(String pattern) {
    List<String> out = new ArrayList<>();
    ScanIterator.scan(redis(), ScanArgs.Builder.matches(prefix + pattern).limit(500))
        .forEachRemaining(out::add);
    return out;
  }

  /**
   * Kills the server side of the connections named {@code name} (CLIENT SETNAME), as a network
   * failure would; only this test's connections carry such names.
   *
   * @return how many were killed
   */
  int killClientsNamed(String name) {
    int killed = 0;
    for (String line : redis().clientList().split("\n")) {
      if (line.contains(" name=" + name + " ")) {
        String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
        redis().clientKill(io.lettuce.core.KillArgs.Builder.id(Long.parseLong(id)));
        killed++;
      }
    }
    return killed;
  }

  @Override
  public void close() {
    List<String> keys = keys("*");
    if (!keys.isEmpty()) {
      redis().del(keys.toArray(String[]::new));
    }
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
