package dev.cachet.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;

/**
 * The Lettuce side of a {@link RedisStore}: client resources, the client (standalone/Sentinel
 * or Cluster, decided by the URI or detected at the first connection), and the one
 * thread-safe, multiplexed connection every store operation shares. Package-private so that the
 * invalidation bus and the fleet lock of this module can open their own connections (pub/sub,
 * blocking commands) to the same server with the same credentials, TLS and timeouts, without
 * exposing Lettuce types through the store's public API.
 *
 * <p>Connections reconnect by themselves (Lettuce's auto-reconnect, with a delay capped at
 * {@value #MAX_RECONNECT_DELAY_MS} ms so a restarted server is found again within seconds).
 * Commands issued while disconnected are rejected at once instead of being queued (standalone
 * and Sentinel; a Cluster connection queues them until its lazily opened node connection is up,
 * bounded by the command timeout), and the queue of commands in flight is bounded, so a caller
 * never waits beyond the command timeout.
 */
final class RedisConnections implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RedisConnections.class.getName());
  static final long MAX_RECONNECT_DELAY_MS = 2000;
  /** Commands in flight per connection before new ones are rejected (a stuck server). */
  static final int REQUEST_QUEUE_SIZE = 16_384;

  private final RedisStoreOptions options;
  private final RedisEndpoint endpoint;
  private final ClientResources resources;
  private final boolean ownResources;
  private final Disposable eventSubscription;
  private final Object lock = new Object();
  /** Guarded by {@link #lock} for writes; read without it. */
  private volatile AbstractRedisClient client;
  private volatile boolean cluster;
  private volatile StatefulConnection<byte[], byte[]> connection;
  private volatile RedisClusterAsyncCommands<byte[], byte[]> commands;
  private CompletableFuture<Void> connecting;
  private volatile boolean closed;

  /**
   * @param onReconnect run (on a Lettuce thread) whenever a connection becomes active again
   */
  RedisConnections(RedisStoreOptions options, Runnable onReconnect) {
    this.options = options;
    this.endpoint = options.endpoint;
    if (options.clientResources() != null) {
      this.resources = options.clientResources();
      this.ownResources = false;
    } else {
      // Small pools: one multiplexed connection needs few threads, and the machines running
      // caches are often small. The reconnect delay grows from 50 ms but never beyond 2 s.
      this.resources = ClientResources.builder()
          .ioThreadPoolSize(2)
          .computationThreadPoolSize(2)
          .reconnectDelay(Delay.exponential(Duration.ofMillis(50),
              Duration.ofMillis(MAX_RECONNECT_DELAY_MS), 2, TimeUnit.MILLISECONDS))
          .build();
      this.ownResources = true;
    }
    this.eventSubscription = resources.eventBus().get()
        .filter(e -> e instanceof ConnectionActivatedEvent)
        .subscribe(e -> onReconnect.run(), e -> { });
  }

  /** The store's options. */
  RedisStoreOptions options() {
    return options;
  }

  /** The codec of the shared connection: keys and values as byte arrays. */
  ByteArrayCodec codec() {
    return ByteArrayCodec.INSTANCE;
  }

  /** The key prefix (first part of every key). */
  String prefix() {
    return options.prefix();
  }

  /** Scheme, hosts and database, never the password. */
  String describe() {
    return endpoint.describe();
  }

  /** The Lettuce resources (event loops, timer, event bus). */
  ClientResources resources() {
    return resources;
  }

  /** Whether the server is a Cluster (known once connected). */
  boolean isCluster() {
    return cluster;
  }

  /** The client, or null before the first successful connection. */
  AbstractRedisClient client() {
    return client;
  }

  /**
   * The URIs Lettuce connects with (seeds for a Cluster), with credentials and TLS. Their
   * timeout is the connect timeout: Lettuce bounds the connection handshake (HELLO, AUTH,
   * SELECT, CLIENT SETNAME) with it, and a busy server or client must not fail a connection
   * at the command timeout. Commands are bounded by {@code TimeoutOptions} instead.
   */
  List<RedisURI> uris() {
    return endpoint.lettuceUris(options.connectTimeout());
  }

  /**
   * The shared connection's asynchronous commands, or null while no connection was ever
   * established. Works for standalone, Sentinel and Cluster ({@code RedisClusterAsyncCommands}
   * is the common interface; on a Cluster, multi-key commands such as {@code UNLINK} are split
   * per slot and {@code SCAN} walks every master).
   */
  RedisClusterAsyncCommands<byte[], byte[]> commands() {
    return commands;
  }

  /** The shared connection, or null before the first successful connection. */
  StatefulConnection<byte[], byte[]> connection() {
    return connection;
  }

  /**
   * Opens a new dedicated connection with its own codec (for blocking commands or a separate
   * pipeline). The caller closes it.
   *
   * @throws RedisException when Redis cannot be reached, or no connection was ever made (the
   *     topology is not known yet)
   */
  <K, V> StatefulConnection<K, V> connect(RedisCodec<K, V> codec) {
    AbstractRedisClient c = requireClient();
    if (c instanceof RedisClusterClient cc) {
      return cc.connect(codec);
    }
    return ((RedisClient) c).connect(codec, uris().get(0));
  }

  /**
   * Opens a new pub/sub connection (a Cluster pub/sub connection on a Cluster). The caller
   * closes it.
   *
   * @throws RedisException when Redis cannot be reached, or no connection was ever made
   */
  <K, V> StatefulRedisPubSubConnection<K, V> connectPubSub(RedisCodec<K, V> codec) {
    AbstractRedisClient c = requireClient();
    if (c instanceof RedisClusterClient cc) {
      return cc.connectPubSub(codec);
    }
    return ((RedisClient) c).connectPubSub(codec, uris().get(0));
  }

  private AbstractRedisClient requireClient() {
    AbstractRedisClient c = client;
    if (c == null || closed) {
      throw new RedisException((closed ? "closed: " : "not connected yet: ") + describe());
    }
    return c;
  }

  /**
   * Starts connecting unless connected or already connecting; never blocks. The future
   * completes when the shared connection is usable, or exceptionally with the cause.
   */
  CompletableFuture<Void> connectAsync() {
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new RedisException("closed: " + describe()));
      }
      if (commands != null) {
        return CompletableFuture.completedFuture(null);
      }
      if (connecting != null && !connecting.isDone()) {
        return connecting;
      }
      connecting = startConnect();
      return connecting;
    }
  }

  private CompletableFuture<Void> startConnect() {
    if (endpoint.kind == RedisEndpoint.Kind.CLUSTER) {
      return connectCluster(uris());
    }
    RedisClient standalone = RedisClient.create(resources);
    standalone.setOptions(clientOptions(ClientOptions.builder()).build());
    RedisURI uri = uris().get(0);
    return standalone.connectAsync(codec(), uri).toCompletableFuture()
        .thenCompose(conn -> {
          if (!endpoint.detectCluster) {
            return CompletableFuture.completedFuture(adoptStandalone(standalone, conn));
          }
          // A single redis:// host may be a Cluster node: then talk Cluster to it.
          return conn.async().info("cluster").toCompletableFuture().thenCompose(info -> {
            if (info != null && info.contains("cluster_enabled:1")) {
              conn.closeAsync();
              standalone.shutdownAsync(0, 2, TimeUnit.SECONDS);
              return connectCluster(List.of(uri));
            }
            return CompletableFuture.completedFuture(adoptStandalone(standalone, conn));
          });
        })
        .whenComplete((ok, error) -> {
          if (error != null && client != standalone) {
            standalone.shutdownAsync(0, 2, TimeUnit.SECONDS);
          }
        });
  }

  private Void adoptStandalone(RedisClient c, StatefulRedisConnection<byte[], byte[]> conn) {
    synchronized (lock) {
      if (closed) {
        conn.closeAsync();
        c.shutdownAsync(0, 2, TimeUnit.SECONDS);
        throw new RedisException("closed: " + describe());
      }
      client = c;
      cluster = false;
      connection = conn;
      commands = conn.async();
    }
    return null;
  }

  private CompletableFuture<Void> connectCluster(List<RedisURI> seeds) {
    RedisClusterClient c = RedisClusterClient.create(resources, seeds);
    ClusterClientOptions.Builder b = ClusterClientOptions.builder();
    clientOptions(b);
    // A Cluster connection opens its per-node connections lazily, on a node's first command;
    // rejecting commands while "disconnected" would reject that first command. Commands wait
    // instead, bounded by the command timeout and the request queue size, like any other.
    b.disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS);
    // Follow failovers, slot moves and restarted nodes without waiting for a MOVED storm.
    b.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
        .enablePeriodicRefresh(Duration.ofSeconds(30))
        .enableAllAdaptiveRefreshTriggers()
        .build());
    c.setOptions(b.build());
    // connectAsync needs the topology loaded first (the blocking connect() does it itself).
    return c.refreshPartitionsAsync().toCompletableFuture()
        .thenCompose(ignored -> c.connectAsync(codec())).thenApply(conn -> {
      synchronized (lock) {
        if (closed) {
          conn.closeAsync();
          c.shutdownAsync(0, 2, TimeUnit.SECONDS);
          throw new RedisException("closed: " + describe());
        }
        client = c;
        cluster = true;
        connection = conn;
        commands = conn.async();
      }
      return (Void) null;
    }).whenComplete((ok, error) -> {
      if (error != null && client != c) {
        c.shutdownAsync(0, 2, TimeUnit.SECONDS);
      }
    });
  }

  private <B extends ClientOptions.Builder> B clientOptions(B b) {
    b.autoReconnect(true)
        // Fail fast while disconnected instead of queueing commands until reconnection.
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(REQUEST_QUEUE_SIZE)
        .socketOptions(SocketOptions.builder()
            .connectTimeout(options.connectTimeout())
            .keepAlive(true)
            .build())
        // Async commands time out too (the sync API alone would not cancel them).
        .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()));
    return b;
  }

  /** Closes the connection and the client, and the resources if the store created them. */
  @Override
  public void close() {
    AbstractRedisClient c;
    StatefulConnection<byte[], byte[]> conn;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      c = client;
      conn = connection;
      commands = null;
    }
    eventSubscription.dispose();
    try {
      if (conn != null) {
        conn.close();
      }
      if (c != null) {
        c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
      if (ownResources) {
        resources.shutdown(0, 2, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing " + describe() + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
