package dev.cachet.jcache.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.jcache.CachetCache;
import dev.cachet.jcache.CachetCacheManager;
import dev.cachet.jcache.CachetCachingProvider;
import javax.cache.CacheManager;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cache.jcache.internal.JCacheRegionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.stat.CacheRegionStatistics;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real JCache client: Hibernate ORM's second-level cache ({@code hibernate-jcache}) over
 * Cachet, on an in-memory H2 database. The region is declared in a Cachet configuration file
 * named by {@code hibernate.javax.cache.uri}, with statistics on, so both sides can be checked.
 */
class HibernateSecondLevelCacheTest {
  /** A class path resource: Hibernate finds it and hands its URL to the provider as the URI. */
  private static final String CONFIG = "hibernate-cachet.properties";

  private StandardServiceRegistry registry;
  private SessionFactory sessions;

  @BeforeEach
  void start() {
    registry = new StandardServiceRegistryBuilder()
        .applySetting("hibernate.connection.url", "jdbc:h2:mem:books;DB_CLOSE_DELAY=-1")
        .applySetting("hibernate.connection.username", "sa")
        .applySetting("hibernate.connection.password", "")
        .applySetting("hibernate.hbm2ddl.auto", "create-drop")
        .applySetting("hibernate.cache.use_second_level_cache", "true")
        .applySetting("hibernate.cache.region.factory_class", "jcache")
        .applySetting("hibernate.javax.cache.provider", CachetCachingProvider.class.getName())
        .applySetting("hibernate.javax.cache.uri", CONFIG)
        .applySetting("hibernate.javax.cache.missing_cache_strategy", "fail")
        .applySetting("hibernate.generate_statistics", "true")
        .build();
    sessions = new MetadataSources(registry).addAnnotatedClass(Book.class).buildMetadata()
        .buildSessionFactory();
  }

  @AfterEach
  void stop() {
    if (sessions != null) {
      sessions.close();
    }
    StandardServiceRegistryBuilder.destroy(registry);
  }

  @Test
  void theSecondLoadOfAnEntityInANewSessionIsACacheHit() {
    sessions.inTransaction(s -> s.persist(new Book(1L, "The Name of the Rose")));
    // Start from an empty cache, so that the first load goes to the database.
    sessions.getCache().evictAllRegions();
    Statistics stats = sessions.getStatistics();
    stats.clear();
    // Cachet's side: the region is the cache declared in the file.
    CacheManager manager = ((JCacheRegionFactory) sessions.unwrap(SessionFactoryImplementor.class)
        .getCache().getRegionFactory()).getCacheManager();
    assertThat(manager).isInstanceOf(CachetCacheManager.class);
    assertThat(manager.getURI().toString()).endsWith(CONFIG);
    CachetCache<?, ?> books = manager.getCache("books").unwrap(CachetCache.class);
    books.statistics().clear();

    Book first = sessions.fromSession(s -> s.find(Book.class, 1L));
    assertThat(first.getTitle()).isEqualTo("The Name of the Rose");
    assertThat(stats.getSecondLevelCacheMissCount()).isEqualTo(1);
    assertThat(stats.getSecondLevelCachePutCount()).isEqualTo(1);
    assertThat(stats.getSecondLevelCacheHitCount()).isZero();
    long queries = stats.getPrepareStatementCount();

    Book second = sessions.fromSession(s -> s.find(Book.class, 1L));
    assertThat(second.getTitle()).isEqualTo("The Name of the Rose");
    assertThat(stats.getSecondLevelCacheHitCount()).isEqualTo(1);
    assertThat(stats.getPrepareStatementCount()).as("no SQL for the cached load")
        .isEqualTo(queries);
    CacheRegionStatistics region = stats.getDomainDataRegionStatistics("books");
    assertThat(region.getHitCount()).isEqualTo(1);

    // Cachet served the hit: the first load put the entry once (and missed twice: Hibernate's
    // read-write strategy reads the entry again before putting it), the second load hit.
    assertThat(books.size()).isEqualTo(1);
    assertThat(books.statistics().getCacheMisses()).isEqualTo(2);
    assertThat(books.statistics().getCacheHits()).isEqualTo(1);
    assertThat(books.statistics().getCachePuts()).isEqualTo(1);
  }
}
