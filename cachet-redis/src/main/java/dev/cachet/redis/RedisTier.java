package dev.cachet.redis;

import dev.cachet.tier.TierConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link RedisStore} as a tier below memory and disk: results are shared by every process
 * using the server, and invalidations reach every process's local tiers. Immutable: each
 * setter returns a new configuration.
 *
 * <pre>{@code
 * Cachet cachet = Cachet.builder()
 *     .tier(RedisTier.at("redis://cache.internal:6379?prefix=orders")
 *         .expireAfterWrite(Duration.ofHours(1)))
 *     .build();
 * }</pre>
 *
 * <p>The URI carries the connection's settings (prefix, timeouts, TLS, Sentinel, Cluster: see
 * {@link RedisStoreOptions#builder(String)}). There is no size limit here: a Redis server is
 * bounded by its own {@code maxmemory} and eviction policy. The invalidation bus and fleet
 * single-flight take {@link #coherence(CoherenceSettings)}. For settings a URI cannot carry
 * (client resources, the circuit breaker), open the store with
 * {@link RedisStore#open(RedisStoreOptions)} and add it with {@code tier(StoreTier.of(store))}.
 */
public final class RedisTier extends TierConfig {
  private final String uri;
  private final CoherenceSettings coherence;

  private RedisTier(String uri, Duration expireAfterWrite, CoherenceSettings coherence) {
    super(expireAfterWrite);
    this.uri = uri;
    this.coherence = coherence;
  }

  /**
   * The Redis tier at {@code uri}, whose entries live as long as memory's. The URI is checked
   * when Cachet opens the tier.
   *
   * @param uri {@code redis://[user:password@]host:port[/db][?options]}, {@code rediss://} for
   *     TLS, {@code redis-sentinel://...} or several hosts for Cluster (see
   *     docs/REDIS-FORMAT.md)
   * @throws NullPointerException when {@code uri} is null
   */
  public static RedisTier at(String uri) {
    Objects.requireNonNull(uri, "RedisTier.at(uri) needs a URI such as redis://127.0.0.1:6379");
    return new RedisTier(uri, null, CoherenceSettings.defaults());
  }

  @Override
  public RedisTier expireAfterWrite(Duration duration) {
    return new RedisTier(uri, requireLifetime(duration), coherence);
  }

  /**
   * Sets how the tier keeps the fleet coherent: the length of the invalidation log a process
   * replays after a disconnection, the fleet lock's lifetime, the instance id shown in the
   * audit log. {@link CoherenceSettings#defaults()} unless set; a prefix or command timeout
   * they leave unset is the URI's.
   *
   * @throws NullPointerException when null
   */
  public RedisTier coherence(CoherenceSettings settings) {
    Objects.requireNonNull(settings, "coherence(settings) needs settings; start from"
        + " CoherenceSettings.defaults()");
    return new RedisTier(uri, expireAfterWrite(), settings);
  }

  /** The URI, as given (with any password). */
  public String uri() {
    return uri;
  }

  /** The invalidation bus's and fleet single-flight's settings. */
  public CoherenceSettings coherence() {
    return coherence;
  }

  /** Shared: every process using the server sees the same entries and invalidations. */
  @Override
  public boolean shared() {
    return true;
  }

  /** {@code redis:} and the URI with any password replaced by {@code ***}. */
  @Override
  public String describe() {
    return "redis:" + RedisEndpoint.redact(uri);
  }
}
