package dev.cachet.micrometer;

import dev.cachet.redis.RedisInvalidationBus;
import dev.cachet.redis.RedisStore;
import dev.cachet.tier.Store;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToLongFunction;

/**
 * The meters only a Redis store offers: its invalidation bus's counters and its circuit
 * breaker. Core's {@code Store} API exposes neither, so this class reads cachet-redis's own
 * types; cachet-redis is an optional dependency, and this class is touched only after
 * {@link #AVAILABLE} says it is on the class path (otherwise loading it would fail).
 */
final class RedisTierMeters {
  /** Whether cachet-redis is on the class path. */
  static final boolean AVAILABLE = present();

  private RedisTierMeters() {
  }

  private static boolean present() {
    try {
      Class.forName("dev.cachet.redis.RedisStore", false, RedisTierMeters.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Registers the Redis meters when {@code store} is a Redis store.
   *
   * @return whether it was one
   */
  static boolean bindIfRedis(MeterRegistry registry, Store store, Tags tags) {
    if (!(store instanceof RedisStore redis)) {
      return false;
    }
    Gauge.builder("cachet.store.circuit.open", redis, r -> r.isCircuitOpen() ? 1 : 0)
        .tags(tags)
        .description("1 while the circuit breaker skips Redis after repeated failures, else 0")
        .register(registry);
    redis.invalidationBus()
        .filter(RedisInvalidationBus.class::isInstance)
        .map(RedisInvalidationBus.class::cast)
        .ifPresent(bus -> {
          busCounter(registry, bus, tags, "cachet.invalidations.sent",
              s -> s.published() + s.resent(),
              "Invalidations this process sent to the others (first attempts and resends)");
          busCounter(registry, bus, tags.and("delivery", "live"), "cachet.invalidations.received",
              RedisInvalidationBus.Stats::received,
              "Invalidations from other processes, delivered live or replayed from the log");
          busCounter(registry, bus, tags.and("delivery", "replayed"),
              "cachet.invalidations.received", RedisInvalidationBus.Stats::replayed,
              "Invalidations from other processes, delivered live or replayed from the log");
          busCounter(registry, bus, tags, "cachet.invalidations.send.failures",
              RedisInvalidationBus.Stats::publishFailures,
              "Attempts to send an invalidation that failed (it is kept and sent again)");
        });
    return true;
  }

  private static void busCounter(MeterRegistry registry, RedisInvalidationBus bus, Tags tags,
      String name, ToLongFunction<RedisInvalidationBus.Stats> count, String description) {
    FunctionCounter.builder(name, bus, b -> count.applyAsLong(b.stats()))
        .tags(tags)
        .description(description)
        .register(registry);
  }
}
