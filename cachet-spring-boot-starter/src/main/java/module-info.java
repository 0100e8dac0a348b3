/**
 * Spring Boot 3.5 and 4.0 auto-configuration for Cachet: a {@code Cachet} and a
 * {@link dev.cachet.spring.CachetCacheManager} from the {@code cachet.*} properties, and Cachet's
 * meters when Micrometer and cachet-micrometer are present. Spring Boot supports the class path;
 * this descriptor keeps the starter usable from a modular application all the same.
 */
// Spring Boot and Micrometer ship automatic modules, with stable Automatic-Module-Names.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cachet.spring.boot {
  // Transitive: the starter's public classes carry their annotations and implement their
  // interfaces.
  requires transitive dev.cachet.spring;
  requires transitive spring.beans;
  requires transitive spring.boot;
  requires transitive spring.boot.autoconfigure;
  requires transitive spring.context;
  // Meters only when the application has them; Boot 3 has the cache-metrics SPI in the
  // actuator, Boot 4 in spring-boot-cache.
  requires static dev.cachet.micrometer;
  requires static transitive micrometer.core;
  requires static transitive spring.boot.actuator;
  requires static transitive spring.boot.cache;

  exports dev.cachet.spring.boot;
  // Spring instantiates the configurations (nested ones are package-private), binds the
  // properties and loads the failure analyzer reflectively, from several of its modules.
  opens dev.cachet.spring.boot;
}
