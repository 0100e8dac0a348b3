package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cachet;
import dev.cachet.EvictionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachetCacheManagerTest {

  @Test
  void configuredCachesUseTheirOwnSettings() {
    CachetCacheManager manager = CachetCacheManager.builder(Cachet.create())
        .cache("tiny", spec -> spec.policy(EvictionPolicy.LRU).maximumSize(2))
        .build();
    var cache = manager.getCache("tiny");
    cache.put("a", 1);
    cache.put("b", 2);
    cache.get("a");
    cache.put("c", 3); // LRU with room for two: "b" was used least recently
    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a").get()).isEqualTo(1);
    assertThat(cache.get("c").get()).isEqualTo(3);
  }

  @Test
  void settingsThatLookAtValuesReadThemFromTheirWrapper() {
    CachetCacheManager manager = CachetCacheManager.builder(Cachet.create())
        .cache("titles", spec -> spec.cacheIf(stored -> {
          Object title = ((StoredValue<?>) stored).value();
          return title != null && !title.toString().isEmpty();
        }))
        .build();
    var cache = manager.getCache("titles");
    assertThat(cache.get("a", () -> "")).isEmpty();
    assertThat(cache.get("a")).as("an empty title is not kept").isNull();
    assertThat(cache.get("b", () -> "Dune")).isEqualTo("Dune");
    assertThat(cache.get("b").get()).isEqualTo("Dune");
  }

  @Test
  void unknownNamesAreCreatedOnDemandUnlessTheManagerIsStatic() {
    CachetCacheManager dynamic = new CachetCacheManager(Cachet.create());
    assertThat(dynamic.getCache("anything")).isNotNull();
    assertThat(dynamic.getCache("anything")).isSameAs(dynamic.getCache("anything"));
    assertThat(dynamic.getCacheNames()).containsExactly("anything");

    CachetCacheManager fixed = CachetCacheManager.builder(Cachet.create())
        .cache("books", spec -> spec)
        .dynamic(false)
        .build();
    assertThat(fixed.getCache("anything")).isNull();
    assertThat(fixed.getCacheNames()).containsExactly("books");
  }

  @Test
  void badSettingsFailWhenTheManagerIsBuiltNamingTheCache() {
    var builder = CachetCacheManager.builder(Cachet.create())
        .cache("prices", spec -> spec.fleetSingleFlight(Duration.ofSeconds(5)));
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'prices'")
        .hasMessageContaining("redis");
  }

  record Book(String isbn, String title, List<String> authors) {
  }

  @Test
  void valuesOfTheDeclaredTypeComeBackFromDiskAfterARestart(@TempDir Path dir) {
    Book dune = new Book("isbn-1", "Dune", List.of("Frank Herbert"));
    try (Cachet first = Cachet.builder().disk(dir).build()) {
      var cache = CachetCacheManager.builder(first).cache("books", spec -> spec, Book.class)
          .build().getCache("books");
      cache.put("isbn-1", dune);
      cache.put("isbn-0", null);
    }
    try (Cachet second = Cachet.builder().disk(dir).build()) {
      var cache = CachetCacheManager.builder(second).cache("books", spec -> spec, Book.class)
          .build().getCache("books");
      assertThat(cache.get("isbn-1", Book.class)).isEqualTo(dune);
      assertThat(cache.get("isbn-0")).isNotNull();
      assertThat(cache.get("isbn-0").get()).isNull();
      assertThat(cache.get("isbn-2")).isNull();
    }
  }

  @Test
  void withoutAValueTypePlainValuesStillReachTheDisk(@TempDir Path dir) {
    try (Cachet first = Cachet.builder().disk(dir).build()) {
      new CachetCacheManager(first).getCache("names").put(7, "seven");
    }
    try (Cachet second = Cachet.builder().disk(dir).build()) {
      assertThat(new CachetCacheManager(second).getCache("names").get(7, String.class))
          .isEqualTo("seven");
    }
  }
}
