package dev.cachet.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * The Redis connections the bus and the fleet single-flight need: one shared, multiplexed
 * command connection, and dedicated pub/sub connections. Standalone, Sentinel and Cluster
 * clients all fit ({@link RedisClusterAsyncCommands} is the API they have in common), so the
 * coherence classes do not care which one is behind it.
 *
 * <p>{@link ClientLinks} builds its own Lettuce client from a URI; a store that already holds a
 * client can implement this interface to share its connections instead.
 */
interface RedisLinks extends AutoCloseable {

  /** The shared command connection's async API (thread-safe; never closed by its users). */
  RedisClusterAsyncCommands<String, String> commands();

  /**
   * A new pub/sub connection, owned (and closed) by the caller. Lettuce reconnects it and
   * resubscribes its channels on its own after a disconnection.
   */
  StatefulRedisPubSubConnection<String, String> openPubSub();

  /** Where it connects to, without credentials, for messages. */
  String describe();

  /** Closes the connections and client it owns (not those it was lent); never throws. */
  @Override
  void close();
}
