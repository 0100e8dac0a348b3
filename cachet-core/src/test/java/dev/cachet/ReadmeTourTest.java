package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.stats.CacheEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The code of the README's five-minute tour, kept compiling and passing. */
class ReadmeTourTest {

  record UserDetail(String name, int age) {
  }

  interface Knowledge {
    @Memoize(ttl = "5s")
    String search(String query);
  }

  UserDetail extractUser(String text) {
    String[] words = text.split(" ");
    return new UserDetail(words[1], Integer.parseInt(words[3]));
  }

  String kbSearch(String query, StringBuilder logger) {
    logger.append("searched ").append(query).append('\n');
    return "results for " + query;
  }

  @Test
  void tour() {
    // --- README tour starts here
    Cachet cachet = Cachet.builder()
        .maximumSize(10_000)                          // bounded by default; unbounded() on request
        .expireAfterWrite(Duration.ofMinutes(10))
        .build();

    // One line, like @functools.lru_cache
    MemoizedFunction<String, UserDetail> extract = cachet.memoize("extract", this::extractUser);
    extract.apply("Extract jason is 25 years old");   // miss: runs extractUser
    extract.apply("Extract jason is 25 years old");   // hit: microseconds
    System.out.println(extract.cacheInfo());
    // CacheInfo(hits=1, misses=1, maxsize=10000, currsize=1)

    // Per-function options
    var search = cachet.function("kb_search")
        .policy(EvictionPolicy.LRU).maximumSize(128).expireAfterWrite(Duration.ofSeconds(5))
        .ignore("logger")                             // not part of the key
        .memoize(this::kbSearch);
    search.apply("Python", new StringBuilder());
    search.invalidate("Python", null);                // drop one entry

    // Interfaces: annotate, then proxy
    Knowledge kb = cachet.proxy(Knowledge.class, query -> "answer to " + query);
    kb.search("What is W-TinyLFU?");

    // A plain cache, for code that does its own lookups
    Cache<String, Integer> lengths = cachet.cache("lengths");
    lengths.get("hello", String::length);

    // Watch what happens
    Cachet observed = Cachet.builder()
        .listener(event -> {
          if (event.type() == CacheEvent.Type.EVICTION) {
            System.out.println("evicted " + event.key() + " (" + event.cause() + ")");
          }
        })
        .build();
    observed.memoize("square", (Integer x) -> x * x).apply(12);
    // --- README tour ends here

    assertThat(extract.cacheInfo()).hasToString(
        "CacheInfo(hits=1, misses=1, maxsize=10000, currsize=1)");
    assertThat(search.cacheInfo().currSize()).isZero();
    assertThat(kb.search("What is W-TinyLFU?")).isEqualTo("answer to What is W-TinyLFU?");
    assertThat(lengths.getIfPresent("hello")).isEqualTo(5);
  }
}
