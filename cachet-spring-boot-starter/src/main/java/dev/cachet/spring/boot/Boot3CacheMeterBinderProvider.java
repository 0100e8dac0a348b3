package dev.cachet.spring.boot;

import dev.cachet.Cachet;
import dev.cachet.micrometer.CachetCacheMetrics;
import dev.cachet.spring.CachetSpringCache;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import org.springframework.boot.actuate.metrics.cache.CacheMeterBinderProvider;

/**
 * Spring Boot 3's way to meter a cache it finds in a cache manager: Boot's cache metrics
 * registrar asks each provider for a binder. The meters are those {@link CachetCacheMetrics}
 * registers for the cache, under the same names and tags as the starter's own binder, so the
 * registry keeps one of each.
 */
public final class Boot3CacheMeterBinderProvider
    implements CacheMeterBinderProvider<CachetSpringCache> {
  private final Cachet cachet;

  /** @param cachet the Cachet the manager's caches belong to */
  public Boot3CacheMeterBinderProvider(Cachet cachet) {
    this.cachet = Objects.requireNonNull(cachet, "cachet");
  }

  /** A binder for {@code cache}'s meters, with Boot's tags (such as its manager's name). */
  @Override
  public MeterBinder getMeterBinder(CachetSpringCache cache, Iterable<Tag> tags) {
    return new CachetCacheMetrics(cachet, cache.getName(), tags);
  }
}
