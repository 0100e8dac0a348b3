package dev.cachet.e2e;

import dev.cachet.Cachet;
import dev.cachet.disk.DiskTier;
import dev.cachet.redis.LocalRedis;
import dev.cachet.redis.RedisTier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * The tier below memory an end-to-end test runs against, alone, so that one tier can never
 * hide a mistake of the other. Memory is always above it and always starts empty in a new
 * {@link Cachet}, which is how a restarted or second process sees the tier.
 */
enum Tier {
  DISK,
  REDIS;

  /**
   * Where this tier keeps entries for one test: a directory for disk, a fresh key prefix on the
   * shared redis-server for Redis (the test is skipped without a server, or fails under
   * {@code CACHET_REQUIRE_REDIS=1}).
   */
  String location(Path dir) {
    if (this == DISK) {
      return dir.resolve("store").toString();
    }
    // Keys expire on their own, so a test run leaves nothing behind for long.
    return LocalRedis.uri() + "?prefix=e2e-" + UUID.randomUUID();
  }

  /** A builder with only this tier below memory, at {@code location}. */
  Cachet.Builder builder(String location) {
    Duration lifetime = Duration.ofMinutes(10);
    return Cachet.builder().tier(this == DISK
        ? DiskTier.in(Path.of(location)).expireAfterWrite(lifetime)
        : RedisTier.at(location).expireAfterWrite(lifetime));
  }
}
