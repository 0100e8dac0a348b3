package dev.cachet.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** With cachet.disk, what an application cached is still there after it restarts. */
class DiskTierAppTest {
  private static final String BOOK_TYPE =
      "cachet.caches.books.value-type=dev.cachet.spring.boot.tests.Catalog$Book";

  @Test
  void cachedValuesSurviveARestartOfTheApplication(@TempDir Path dir) {
    Catalog.Book computed;
    try (ConfigurableApplicationContext first =
        BackOffTest.run(CatalogApp.class, "cachet.disk=" + dir, BOOK_TYPE)) {
      Catalog catalog = first.getBean(Catalog.class);
      computed = catalog.book("isbn-1");
      assertThat(catalog.calls("isbn-1")).isEqualTo(1);
    }
    try (ConfigurableApplicationContext second =
        BackOffTest.run(CatalogApp.class, "cachet.disk=" + dir, BOOK_TYPE)) {
      Catalog catalog = second.getBean(Catalog.class);
      assertThat(catalog.book("isbn-1")).isEqualTo(computed);
      assertThat(catalog.calls("isbn-1")).isZero();
    }
  }

  @Test
  void withoutAValueTypeOwnTypesStayInMemoryAndPlainOnesReachTheDisk(@TempDir Path dir) {
    try (ConfigurableApplicationContext first =
        BackOffTest.run(CatalogApp.class, "cachet.disk=" + dir)) {
      Catalog catalog = first.getBean(Catalog.class);
      catalog.book("isbn-1");
      catalog.title("isbn-1");
    }
    try (ConfigurableApplicationContext second =
        BackOffTest.run(CatalogApp.class, "cachet.disk=" + dir)) {
      Catalog catalog = second.getBean(Catalog.class);
      catalog.book("isbn-1");
      catalog.title("isbn-1");
      assertThat(catalog.calls("isbn-1")).as("a record without value-type").isEqualTo(1);
      assertThat(catalog.calls("title:isbn-1")).as("a string").isZero();
    }
  }
}
