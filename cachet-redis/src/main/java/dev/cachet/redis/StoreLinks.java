package dev.cachet.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * A store's connections lent to the coherence classes ({@link RedisLinks}): one shared
 * String-codec command connection opened on the store's client (same server, credentials, TLS,
 * timeouts and reconnection behaviour), and new pub/sub connections. {@link #close()} does
 * nothing: the store closes them with itself.
 */
final class StoreLinks implements RedisLinks {
  private final RedisConnections connections;
  private StatefulConnection<String, String> connection;
  private RedisClusterAsyncCommands<String, String> commands;

  StoreLinks(RedisConnections connections) {
    this.connections = connections;
  }

  /**
   * @throws RedisException when the store has never been connected or Redis cannot be reached
   */
  @Override
  public synchronized RedisClusterAsyncCommands<String, String> commands() {
    if (commands == null) {
      StatefulConnection<String, String> c = connections.connect(StringCodec.UTF8);
      connection = c;
      if (c instanceof StatefulRedisClusterConnection<String, String> cc) {
        commands = cc.async();
      } else {
        commands = ((StatefulRedisConnection<String, String>) c).async();
      }
    }
    return commands;
  }

  @Override
  public StatefulRedisPubSubConnection<String, String> openPubSub() {
    return connections.connectPubSub(StringCodec.UTF8);
  }

  @Override
  public String describe() {
    return connections.describe();
  }

  /** Lent connections: closed by the store, not by the borrower. */
  @Override
  public void close() {
  }

  /** Closes the String-codec connection; called by the store as it closes. */
  synchronized void shutdown() {
    if (connection != null) {
      try {
        connection.close();
      } catch (RuntimeException e) {
        // Closing anyway; the client is shut down next.
      }
      connection = null;
      commands = null;
    }
  }
}
