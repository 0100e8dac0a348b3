package dev.cachet.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.function.BiFunction;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link RedisLinks} with a Lettuce client of its own, for a bus or fleet single-flight opened
 * without a store (the benchmarks, tools). The URI means what it means for a
 * {@link RedisStore} ({@link RedisStoreOptions#fromUri}: standalone, Sentinel, Cluster, TLS,
 * ACL, {@code ?prefix=}), because the connections are made the store's way
 * ({@link RedisConnections}); {@link #close()} shuts them down.
 */
final class ClientLinks implements RedisLinks {
  private final RedisConnections connections;
  private final StoreLinks links;

  private ClientLinks(RedisConnections connections) {
    this.connections = connections;
    this.links = new StoreLinks(connections);
  }

  /**
   * Builds {@code T} over fresh links to {@code uri}, with {@code settings} resolved against
   * them; {@code T} then owns the links, which are closed if building fails.
   *
   * @throws IllegalArgumentException when the URI cannot be read, saying why
   * @throws RedisException when Redis cannot be reached within the connect timeout
   */
  static <T> T openOwned(String uri, CoherenceSettings settings,
      BiFunction<ClientLinks, CoherenceSettings, T> build) {
    ClientLinks links = open(uri);
    try {
      return build.apply(links, settings.resolve(links.prefix(), links.commandTimeout()));
    } catch (RuntimeException e) {
      links.close();
      throw e;
    }
  }

  /**
   * Connects to the Redis at {@code uri}.
   *
   * @throws IllegalArgumentException when the URI cannot be read, saying why
   * @throws RedisException when Redis cannot be reached within the connect timeout
   */
  static ClientLinks open(String uri) {
    RedisStoreOptions options = RedisStoreOptions.fromUri(uri);
    RedisConnections connections = new RedisConnections(options, () -> { });
    try {
      connections.connectAsync().get(options.connectTimeout().toMillis() * 2 + 1000,
          TimeUnit.MILLISECONDS);
      ClientLinks links = new ClientLinks(connections);
      links.commands(); // connects the String-codec connection now, so failures show here
      return links;
    } catch (InterruptedException e) {
      connections.close();
      Thread.currentThread().interrupt();
      throw new RedisException("interrupted while connecting to " + connections.describe(), e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      connections.close();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new RedisException("Cannot connect to Redis at " + connections.describe() + ": "
          + cause, cause);
    }
  }

  /** The key prefix the URI names ({@code ?prefix=}), or the default {@code cachet}. */
  String prefix() {
    return connections.prefix();
  }

  /** The command timeout the URI names ({@code ?timeout=}), or the store's default. */
  Duration commandTimeout() {
    return connections.options().commandTimeout();
  }

  @Override
  public RedisClusterAsyncCommands<String, String> commands() {
    return links.commands();
  }

  @Override
  public StatefulRedisPubSubConnection<String, String> openPubSub() {
    return links.openPubSub();
  }

  @Override
  public String describe() {
    return links.describe();
  }

  @Override
  public void close() {
    links.shutdown();
    connections.close();
  }
}
