package dev.cachet.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.redis.RedisStore;
import java.io.StringReader;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The README's "Spring Boot" section, kept compiling and passing: its properties (with this
 * run's own Redis prefix and this test's Book type) and its service, in a real application.
 */
class ReadmeSpringBootTest {
  // --- README Spring Boot properties start here
  static final String README_PROPERTIES = """
      cachet.redis=redis://127.0.0.1:6379
      cachet.caches.books.maximum-size=10000
      cachet.caches.books.expire-after-write=10m
      cachet.caches.books.policy=lru
      cachet.caches.books.tags=catalog
      cachet.caches.books.value-type=com.example.Book
      """;
  // --- README Spring Boot properties end here

  record Book(String isbn, String title) {
  }

  static class BookRepository {
    final AtomicInteger loads = new AtomicInteger();

    Book load(String isbn) {
      loads.incrementAndGet();
      return new Book(isbn, "title of " + isbn);
    }
  }

  // --- README Spring Boot code starts here
  static class BookService {
    private final BookRepository repository;

    BookService(BookRepository repository) {
      this.repository = repository;
    }

    @Cacheable(cacheNames = "books", sync = true)   // computed once per key, in the whole fleet
    public Book find(String isbn) {
      return repository.load(isbn);
    }

    @CacheEvict(cacheNames = "books", allEntries = true)   // in every instance
    public void reload() {
    }
  }
  // --- README Spring Boot code ends here

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableCaching
  static class BookApp {
    @Bean
    BookRepository repository() {
      return new BookRepository();
    }

    @Bean
    BookService bookService(BookRepository repository) {
      return new BookService(repository);
    }
  }

  private String uri;

  @AfterEach
  void removeThisRunsKeys() {
    if (uri != null) {
      try (RedisStore store = RedisStore.open(uri)) {
        store.clear();
      }
    }
  }

  @Test
  void theReadmeApplicationCachesBooksInMemoryAndRedis() throws Exception {
    boolean required = "1".equals(System.getenv("CACHET_REQUIRE_REDIS"));
    boolean up = RedisAppTest.answersPing();
    if (!up && required) {
      throw new AssertionError("CACHET_REQUIRE_REDIS=1 but no redis-server on 127.0.0.1:6379");
    }
    Assumptions.assumeTrue(up, "no redis-server on 127.0.0.1:6379");
    uri = "redis://127.0.0.1:6379?timeout=5s&prefix=cachet-spring-readme-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong());
    Properties properties = new Properties();
    properties.load(new StringReader(README_PROPERTIES
        .replace("redis://127.0.0.1:6379", uri)
        .replace("com.example.Book", Book.class.getName())));
    List<String> lines = properties.stringPropertyNames().stream()
        .map(name -> name + "=" + properties.getProperty(name)).toList();

    try (ConfigurableApplicationContext app =
        BackOffTest.run(BookApp.class, lines.toArray(String[]::new))) {
      BookService books = app.getBean(BookService.class);
      BookRepository repository = app.getBean(BookRepository.class);
      assertThat(books.find("isbn-1")).isEqualTo(new Book("isbn-1", "title of isbn-1"));
      assertThat(books.find("isbn-1")).isEqualTo(new Book("isbn-1", "title of isbn-1"));
      assertThat(repository.loads).hasValue(1);
      assertThat(app.getBean(Cachet.class).invalidateTag("catalog")).isEqualTo(1);
      books.find("isbn-1");
      books.reload();
      books.find("isbn-1");
      assertThat(repository.loads).hasValue(3);
    }
  }
}
