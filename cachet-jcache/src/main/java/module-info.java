/**
 * Cachet's JSR-107 (JCache 1.1) provider ({@link dev.cachet.jcache.CachetCachingProvider}),
 * found by {@code javax.cache.Caching} as a service, with caches configurable with Cachet's
 * options ({@link dev.cachet.jcache.CachetConfiguration}).
 */
// The JCache API jar has no module descriptor: its name, cache.api, comes from the jar's file
// name, the name every modular JCache user sees. This module's types implement its interfaces.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cachet.jcache {
  // CachetConfiguration takes core's EvictionPolicy.
  requires transitive dev.cachet.core;
  requires transitive cache.api;
  // JCache's management and statistics MXBeans.
  requires java.management;

  exports dev.cachet.jcache;

  provides javax.cache.spi.CachingProvider with dev.cachet.jcache.CachetCachingProvider;
}
