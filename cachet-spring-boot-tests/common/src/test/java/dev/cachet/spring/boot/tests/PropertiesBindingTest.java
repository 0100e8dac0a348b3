package dev.cachet.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.spring.boot.CachetProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

@SpringBootTest(classes = CatalogApp.class, properties = {
    "cachet.caches.titles.maximum-size=2",
    "cachet.caches.titles.policy=lru",
    "cachet.caches.titles.expire-after-write=10m",
    "cachet.caches.titles.expire-after-access=1h",
    "cachet.caches.titles.tags=catalog,tenant-42",
    "cachet.caches.books.value-type=dev.cachet.spring.boot.tests.Catalog$Book",
    "cachet.allow-null-values=false"})
class PropertiesBindingTest {
  @Autowired
  CachetProperties properties;
  @Autowired
  CacheManager cacheManager;
  @Autowired
  Cachet cachet;
  @Autowired
  Catalog catalog;

  @Test
  void propertiesBindIncludingDurationsPoliciesAndTypes() {
    var titles = properties.getCaches().get("titles");
    assertThat(titles.getMaximumSize()).isEqualTo(2);
    assertThat(titles.getPolicy()).isEqualTo(dev.cachet.EvictionPolicy.LRU);
    assertThat(titles.getExpireAfterWrite()).isEqualTo(Duration.ofMinutes(10));
    assertThat(titles.getExpireAfterAccess()).isEqualTo(Duration.ofHours(1));
    assertThat(titles.getTags()).containsExactly("catalog", "tenant-42");
    assertThat(properties.getCaches().get("books").getValueType()).isEqualTo(Catalog.Book.class);
  }

  @Test
  void configuredCachesExistFromTheStart() {
    assertThat(cacheManager.getCacheNames()).contains("titles", "books");
  }

  @Test
  void aCacheKeepsItsOwnBoundAndPolicy() {
    catalog.title("a");
    catalog.title("b");
    catalog.title("a");
    catalog.title("c"); // LRU with room for two: "b" was used least recently
    catalog.title("a");
    catalog.title("b");
    assertThat(catalog.calls("title:a")).isEqualTo(1);
    assertThat(catalog.calls("title:b")).isEqualTo(2);
  }

  @Test
  void aCacheCarriesItsTags() {
    catalog.title("t");
    assertThat(cachet.invalidateTag("tenant-42")).isEqualTo(1);
    catalog.title("t");
    assertThat(catalog.calls("title:t")).isEqualTo(2);
  }

  @Test
  void nullValuesAreRefusedWhenTurnedOff() {
    Cache titles = cacheManager.getCache("titles");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> titles.put("k", null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
