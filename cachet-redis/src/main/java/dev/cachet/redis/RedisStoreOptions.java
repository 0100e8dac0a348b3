package dev.cachet.redis;

import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link RedisStore}. Immutable; start from {@link #builder(String)} with a URI
 * (whose query options, such as {@code ?prefix=app&timeout=300ms}, pre-fill the builder), or
 * from {@link #fromUri(String)} for the URI alone.
 *
 * <pre>{@code
 * RedisStore store = RedisStore.open(RedisStoreOptions.builder("rediss://app:secret@cache:6380")
 *     .prefix("billing")
 *     .commandTimeout(Duration.ofMillis(300))
 *     .build());
 * }</pre>
 *
 * <p>The defaults, and why:
 *
 * <ul>
 *   <li>{@link Builder#commandTimeout command timeout} 500 ms: a healthy Redis answers in well
 *       under a millisecond on a LAN (tens of ms at p99.9 during a fork or a big value), so
 *       500 ms is far beyond normal yet short enough that a caller falls back to its real call
 *       quickly; it also absorbs a GC pause of this JVM, which the timer counts too.
 *   <li>{@link Builder#connectTimeout connect timeout} 2 s: TCP, TLS handshake, AUTH and HELLO
 *       take milliseconds on a LAN and a few hundred across zones; 2 s lets a slow handshake
 *       finish while an unreachable host (dropped SYNs) is given up quickly. Connecting never
 *       happens on a caller's path after {@link RedisStore#open}, so this is paid only there.
 *   <li>circuit breaker: open after {@link Builder#failureThreshold 3} consecutive failures, for
 *       1 s doubling up to 30 s ({@link Builder#openBackoff}); a reconnection closes it at once.
 *   <li>{@link Builder#versionCacheTtl namespace version cache} 1 s: how long this process may
 *       read a namespace with a version another process has since bumped (the invalidation bus
 *       shortens it to the bus's latency).
 *   <li>{@link Builder#sweepWait sweep wait} 2 s: how long {@code removeNamespace}, after its
 *       O(1) version bump, waits for the {@code SCAN}+{@code UNLINK} of the old keys before
 *       returning and letting it finish asynchronously.
 * </ul>
 */
public final class RedisStoreOptions {
  /** The key prefix used when none is given. */
  public static final String DEFAULT_PREFIX = "cachet";

  final RedisEndpoint endpoint;
  private final String prefix;
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final boolean strict;
  private final int failureThreshold;
  private final Duration openBackoff;
  private final Duration maxOpenBackoff;
  private final Duration versionCacheTtl;
  private final Duration sweepWait;
  private final int scanCount;
  private final ClientResources clientResources;
  private final CoherenceSettings coherence;

  private RedisStoreOptions(Builder b) {
    this.endpoint = b.endpoint;
    this.prefix = b.prefix;
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.strict = b.strict;
    this.failureThreshold = b.failureThreshold;
    this.openBackoff = b.openBackoff;
    this.maxOpenBackoff = b.maxOpenBackoff;
    this.versionCacheTtl = b.versionCacheTtl;
    this.sweepWait = b.sweepWait;
    this.scanCount = b.scanCount;
    this.coherence = b.coherence;
    this.clientResources = b.clientResources;
  }

  /**
   * The options of a URI, with the defaults for everything it does not say.
   *
   * @param uri such as {@code redis://127.0.0.1:6379}
   * @throws IllegalArgumentException saying what is wrong with the URI
   */
  public static RedisStoreOptions fromUri(String uri) {
    return builder(uri).build();
  }

  /**
   * A builder for a URI; its query options (prefix, timeout, connectTimeout, strict, cluster,
   * verifyPeer, clientName, database, master) are applied first, so later builder calls win.
   *
   * @param uri {@code redis://[[user]:password@]host[:port][/db][?options]}, {@code rediss://}
   *     for TLS, several comma-separated hosts (or {@code redis-cluster://}) for a Cluster, or
   *     {@code redis-sentinel://host:26379?master=NAME}; see docs/REDIS-FORMAT.md
   * @throws IllegalArgumentException saying what is wrong with the URI, with an example
   */
  public static Builder builder(String uri) {
    RedisEndpoint endpoint = RedisEndpoint.parse(uri);
    Builder b = new Builder(endpoint);
    for (Map.Entry<String, String> e : endpoint.storeOptions.entrySet()) {
      String v = e.getValue();
      try {
        switch (e.getKey()) {
          case "prefix" -> b.prefix(v);
          case "timeout" -> b.commandTimeout(RedisEndpoint.parseDuration(uri, "timeout", v));
          case "connecttimeout" -> b.connectTimeout(
              RedisEndpoint.parseDuration(uri, "connectTimeout", v));
          case "strict" -> b.strict(parseBoolean(uri, "strict", v));
          default -> throw RedisEndpoint.bad(uri, "the option '" + e.getKey() + "' is unknown");
        }
      } catch (IllegalArgumentException ex) {
        if (ex.getMessage().startsWith("Invalid Redis URI")) {
          throw ex;
        }
        throw RedisEndpoint.bad(uri, ex.getMessage());
      }
    }
    return b;
  }

  private static boolean parseBoolean(String uri, String name, String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "", "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw RedisEndpoint.bad(uri, name + " must be true or false, not '" + v + "'");
    };
  }

  /** The URI as given, with its password replaced by {@code ***}. */
  public String uri() {
    return RedisEndpoint.redact(endpoint.original);
  }

  /** The first part of every key this store writes (see docs/REDIS-FORMAT.md). */
  public String prefix() {
    return prefix;
  }

  /** How long one command may take before it counts as a failure. */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /** How long establishing a connection may take. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Whether Redis failures are thrown as {@link RedisStoreException} instead of being misses. */
  public boolean strict() {
    return strict;
  }

  /** Consecutive failures that open the circuit breaker. */
  public int failureThreshold() {
    return failureThreshold;
  }

  /** How long the breaker first stays open; doubled on each failed probe. */
  public Duration openBackoff() {
    return openBackoff;
  }

  /** The longest the breaker stays open before probing again. */
  public Duration maxOpenBackoff() {
    return maxOpenBackoff;
  }

  /** How long a namespace's version is reused before it is read again from Redis. */
  public Duration versionCacheTtl() {
    return versionCacheTtl;
  }

  /** How long {@code removeNamespace} waits for the reclaiming sweep before returning. */
  public Duration sweepWait() {
    return sweepWait;
  }

  /** The {@code COUNT} hint of each {@code SCAN}/{@code SSCAN} step, also the UNLINK batch. */
  public int scanCount() {
    return scanCount;
  }

  /** Lettuce resources supplied by the application (not shut down by the store), or null. */
  public ClientResources clientResources() {
    return clientResources;
  }

  /**
   * The settings of the invalidation bus and fleet single-flight attached to the store; a
   * prefix or command timeout they leave unset is the store's.
   */
  public CoherenceSettings coherence() {
    return coherence;
  }

  @Override
  public String toString() {
    return "RedisStoreOptions{uri=" + uri() + ", prefix=" + prefix + ", commandTimeout="
        + commandTimeout + ", connectTimeout=" + connectTimeout + ", strict=" + strict
        + ", failureThreshold=" + failureThreshold + ", openBackoff=" + openBackoff + ".."
        + maxOpenBackoff + ", versionCacheTtl=" + versionCacheTtl + ", sweepWait=" + sweepWait
        + ", scanCount=" + scanCount + "}";
  }

  /** Builds {@link RedisStoreOptions}; each setter validates its argument at once. */
  public static final class Builder {
    private final RedisEndpoint endpoint;
    private String prefix = DEFAULT_PREFIX;
    private Duration commandTimeout = Duration.ofMillis(500);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private boolean strict;
    private int failureThreshold = 3;
    private Duration openBackoff = Duration.ofSeconds(1);
    private Duration maxOpenBackoff = Duration.ofSeconds(30);
    private Duration versionCacheTtl = Duration.ofSeconds(1);
    private Duration sweepWait = Duration.ofSeconds(2);
    private int scanCount = 1000;
    private ClientResources clientResources;
    private CoherenceSettings coherence = CoherenceSettings.defaults();

    private Builder(RedisEndpoint endpoint) {
      this.endpoint = endpoint;
    }

    /**
     * The first part of every key, so that several applications (or test runs) can share a
     * server and {@link RedisStore#clear()} removes only this one's keys. Letters, digits,
     * {@code . _ -} only: no {@code :} (it separates the key's parts) and no glob characters.
     */
    public Builder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (prefix.isEmpty() || !prefix.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("The Redis key prefix '" + prefix + "' is not "
            + "allowed: use letters, digits, '.', '_' or '-' (for example 'cachet' or "
            + "'billing-cache'); ':' separates the parts of a key");
      }
      this.prefix = prefix;
      return this;
    }

    /** How long one command may take before it is a failure (a miss, or a dropped write). */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive("commandTimeout", timeout);
      return this;
    }

    /** How long establishing a connection may take. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /**
     * Strict mode: Redis failures (and calls refused while the breaker is open) throw
     * {@link RedisStoreException} instead of being a miss or a dropped write, and
     * {@link RedisStore#open} fails when Redis cannot be reached.
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /** How many consecutive failures open the circuit breaker (at least 1). */
    public Builder failureThreshold(int failures) {
      if (failures < 1) {
        throw new IllegalArgumentException("failureThreshold must be at least 1, was "
            + failures);
      }
      this.failureThreshold = failures;
      return this;
    }

    /**
     * How long the breaker stays open after it trips ({@code first}) and at most after
     * repeated failed probes ({@code max}).
     */
    public Builder openBackoff(Duration first, Duration max) {
      positive("openBackoff", first);
      positive("maxOpenBackoff", max);
      if (max.compareTo(first) < 0) {
        throw new IllegalArgumentException("the longest open period " + max
            + " is shorter than the first " + first);
      }
      this.openBackoff = first;
      this.maxOpenBackoff = max;
      return this;
    }

    /** How long a namespace's version is reused before reading it again (may be zero). */
    public Builder versionCacheTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "versionCacheTtl");
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("versionCacheTtl must not be negative, was " + ttl);
      }
      this.versionCacheTtl = ttl;
      return this;
    }

    /** How long {@code removeNamespace} waits for the sweep of old keys (may be zero). */
    public Builder sweepWait(Duration wait) {
      Objects.requireNonNull(wait, "sweepWait");
      if (wait.isNegative()) {
        throw new IllegalArgumentException("sweepWait must not be negative, was " + wait);
      }
      this.sweepWait = wait;
      return this;
    }

    /** The {@code COUNT} of each scan step and the size of each {@code UNLINK} batch. */
    public Builder scanCount(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("scanCount must be positive, was " + count);
      }
      this.scanCount = count;
      return this;
    }

    /**
     * Lettuce resources (event loops, timers) shared with the application's other clients;
     * the store then does not shut them down, and their reconnect delay applies.
     */
    public Builder clientResources(ClientResources resources) {
      this.clientResources = Objects.requireNonNull(resources, "clientResources");
      return this;
    }

    /**
     * Sets the invalidation bus's and fleet single-flight's settings (the log's length, the
     * lock lifetime, the instance id); {@link CoherenceSettings#defaults()} unless set. A
     * prefix or command timeout they leave unset is the store's.
     */
    public Builder coherence(CoherenceSettings settings) {
      this.coherence = Objects.requireNonNull(settings, "coherence(settings) needs settings;"
          + " start from CoherenceSettings.defaults()");
      return this;
    }

    /** The options. */
    public RedisStoreOptions build() {
      return new RedisStoreOptions(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
