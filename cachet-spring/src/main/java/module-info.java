/**
 * Spring's cache abstraction over Cachet: a {@link dev.cachet.spring.CachetCacheManager} and
 * its caches, so that {@code @Cacheable} and friends run on Cachet.
 */
// Spring Framework ships automatic modules, with stable Automatic-Module-Names; this module's
// types implement its CacheManager and Cache, hence the transitive requires.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cachet.spring {
  requires transitive dev.cachet.core;
  requires transitive spring.context;

  exports dev.cachet.spring;
}
