package dev.cachet.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Settings of the Redis invalidation bus and fleet single-flight: key names, the size of the
 * invalidation log, lock lifetimes and timeouts. Immutable; start from {@link #defaults()}.
 *
 * <p>Every process of a fleet must use the same {@link #prefix()}, or they neither see each
 * other's invalidations nor share locks.
 */
public final class CoherenceSettings {
  /** Entries kept in the invalidation log (the capped stream) unless told otherwise. */
  public static final int DEFAULT_LOG_LENGTH = 10_000;

  private final String prefix;
  private final int logMaxLength;
  private final Duration lockTtl;
  private final Duration commandTimeout;
  private final String instanceId;

  private CoherenceSettings(String prefix, int logMaxLength, Duration lockTtl,
      Duration commandTimeout, String instanceId) {
    this.prefix = prefix;
    this.logMaxLength = logMaxLength;
    this.lockTtl = lockTtl;
    this.commandTimeout = commandTimeout;
    this.instanceId = instanceId;
  }

  /**
   * The prefix of the URI or store ({@code cachet} unless it names one), a log of
   * {@value #DEFAULT_LOG_LENGTH} entries, locks living 10 s unless renewed, the URI's or store's
   * command timeout (500 ms unless it names one), and a fresh random instance id for each bus
   * and fleet single-flight opened with these settings.
   */
  public static CoherenceSettings defaults() {
    return new CoherenceSettings(null, DEFAULT_LOG_LENGTH, Duration.ofSeconds(10), null, null);
  }

  /** A new random instance id: 8 hex digits, enough to tell apart the buses of one host. */
  static String randomInstanceId() {
    return String.format("%08x", ThreadLocalRandom.current().nextInt());
  }

  /**
   * The first part of every key and channel name ({@code PREFIX:inv:log}, {@code PREFIX:inv},
   * {@code PREFIX:lock:...}).
   *
   * @throws IllegalArgumentException when blank or containing whitespace
   */
  public CoherenceSettings prefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.isBlank() || prefix.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("The Redis key prefix must be non-blank and without "
          + "whitespace, was '" + prefix + "'");
    }
    return new CoherenceSettings(prefix, logMaxLength, lockTtl, commandTimeout, instanceId);
  }

  /**
   * How many invalidations the log keeps (approximately: Redis trims whole stream nodes). A
   * process disconnected for longer than it takes the fleet to publish this many flushes its
   * local tiers when it reconnects instead of replaying.
   *
   * @throws IllegalArgumentException when below 1
   */
  public CoherenceSettings logMaxLength(int entries) {
    if (entries < 1) {
      throw new IllegalArgumentException("logMaxLength must be at least 1, was " + entries);
    }
    return new CoherenceSettings(prefix, entries, lockTtl, commandTimeout, instanceId);
  }

  /**
   * How long a fleet lock lives without renewal: its holder renews it every third of this
   * while computing, so this bounds how long others wait for a process that died.
   *
   * @throws IllegalArgumentException when under 100 ms
   */
  public CoherenceSettings lockTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "lockTtl");
    if (ttl.toMillis() < 100) {
      throw new IllegalArgumentException("lockTtl must be at least 100 ms (it is renewed every "
          + "third of it), was " + ttl);
    }
    return new CoherenceSettings(prefix, logMaxLength, ttl, commandTimeout, instanceId);
  }

  /**
   * How long a caller waits for one Redis command before treating Redis as unavailable.
   *
   * @throws IllegalArgumentException when not positive
   */
  public CoherenceSettings commandTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "commandTimeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("commandTimeout must be positive, was " + timeout);
    }
    return new CoherenceSettings(prefix, logMaxLength, lockTtl, timeout, instanceId);
  }

  /**
   * The id that tells apart two buses of one process (two {@code Cachet} instances), appended
   * to {@code pid@host} in each invalidation's origin. Unless set, each bus draws a random one;
   * when set, it must differ between the buses of one process, or they take each other's
   * invalidations for their own and drop them. The CLI sets {@code cli-...} so the audit log
   * shows who acted by hand.
   *
   * @throws IllegalArgumentException when blank or containing whitespace, '/' or '"'
   */
  public CoherenceSettings instanceId(String id) {
    Objects.requireNonNull(id, "instanceId");
    if (id.isBlank() || id.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/')) {
      throw new IllegalArgumentException("instanceId must be non-blank, without whitespace or "
          + "'/', was '" + id + "'");
    }
    return new CoherenceSettings(prefix, logMaxLength, lockTtl, commandTimeout, id);
  }

  /** The key and channel prefix, or null to take the URI's (or store's). */
  public String prefix() {
    return prefix;
  }

  /** The approximate number of invalidations the log keeps. */
  public int logMaxLength() {
    return logMaxLength;
  }

  /** A fleet lock's lifetime without renewal. */
  public Duration lockTtl() {
    return lockTtl;
  }

  /** The timeout of one Redis command, or null to take the URI's (or store's). */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /** These settings, checked to have a prefix and timeout (set, or filled in by resolve). */
  CoherenceSettings requireResolved() {
    if (prefix == null || commandTimeout == null) {
      throw new IllegalArgumentException("CoherenceSettings need a prefix and a command timeout "
          + "here (set them, or open through a URI or a store, which provide them): " + this);
    }
    return this;
  }

  /** These settings with the prefix and timeout left unset filled in from the connection's. */
  CoherenceSettings resolve(String connectionPrefix, Duration connectionTimeout) {
    return new CoherenceSettings(prefix != null ? prefix : connectionPrefix, logMaxLength,
        lockTtl, commandTimeout != null ? commandTimeout : connectionTimeout, instanceId);
  }

  /** The instance id given with {@link #instanceId(String)}, or null for a random one each. */
  public String instanceId() {
    return instanceId;
  }

  /** The given instance id, or a new random one. */
  String instanceIdOrRandom() {
    return instanceId != null ? instanceId : randomInstanceId();
  }

  /** The stream holding the invalidation log, which is also the audit log. */
  String logKey() {
    return prefix + ":inv:log";
  }

  /** The pub/sub channel carrying invalidations. */
  String invalidationChannel() {
    return prefix + ":inv";
  }

  /** The pub/sub channel announcing released fleet locks. */
  String releaseChannel() {
    return prefix + ":lock:released";
  }

  /**
   * The lock key of one entry. The namespace is a hash tag, so in a Cluster all locks of a
   * namespace share a slot, like the entries they guard.
   */
  String lockKey(String namespace, String digest) {
    return prefix + ":lock:{" + namespace + "}:" + digest;
  }

  @Override
  public String toString() {
    return "CoherenceSettings{prefix=" + prefix + ", logMaxLength=" + logMaxLength + ", lockTtl="
        + lockTtl + ", commandTimeout=" + commandTimeout + ", instanceId=" + instanceId + "}";
  }
}
