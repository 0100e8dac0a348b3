package dev.cachet.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;

/** Reads one meter of a registry by name and tags, failing clearly when it is not registered. */
final class Meters {
  private final MeterRegistry registry;

  Meters(MeterRegistry registry) {
    this.registry = registry;
  }

  double counter(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  double timeGaugeMillis(String name, String... tags) {
    return registry.get(name).tags(tags).timeGauge().value(TimeUnit.MILLISECONDS);
  }

  boolean has(String name, String... tags) {
    return registry.find(name).tags(tags).meter() != null;
  }
}
