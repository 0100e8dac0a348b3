package dev.cachet.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.EvictionPolicy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Compound operations are atomic per key however many threads call them. */
class AtomicityTest {
  private static final int THREADS = 8;
  private static final int ROUNDS = 2_000;

  private final CachetCachingProvider provider = new CachetCachingProvider();
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stop() {
    pool.shutdownNow();
    provider.close();
  }

  private Cache<String, Integer> cache(String name, EvictionPolicy policy) {
    return provider.getCacheManager(URI.create("atomicity"), getClass().getClassLoader())
        .createCache(name, new CachetConfiguration<String, Integer>().policy(policy));
  }

  private void onEveryThread(Runnable task) throws Exception {
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      done.add(pool.submit(task));
    }
    for (Future<?> f : done) {
      f.get();
    }
  }

  @Test
  void invokeIncrementsWithoutLosingUpdates() throws Exception {
    for (EvictionPolicy policy : EvictionPolicy.values()) {
      Cache<String, Integer> cache = cache("invoke-" + policy, policy);
      EntryProcessor<String, Integer, Void> increment = (entry, args) -> {
        entry.setValue(entry.exists() ? entry.getValue() + 1 : 1);
        return null;
      };
      onEveryThread(() -> {
        for (int i = 0; i < ROUNDS; i++) {
          cache.invoke("counter-" + (i % 4), increment);
        }
      });
      int total = 0;
      for (int k = 0; k < 4; k++) {
        total += cache.get("counter-" + k);
      }
      assertThat(total).as(policy.toString()).isEqualTo(THREADS * ROUNDS);
    }
  }

  @Test
  void replaceIsACompareAndSet() throws Exception {
    Cache<String, Integer> cache = cache("cas", EvictionPolicy.ADAPTIVE);
    cache.put("n", 0);
    AtomicInteger wins = new AtomicInteger();
    onEveryThread(() -> {
      for (int i = 0; i < ROUNDS; i++) {
        while (true) {
          Integer current = cache.get("n");
          if (cache.replace("n", current, current + 1)) {
            wins.incrementAndGet();
            break;
          }
        }
      }
    });
    assertThat(cache.get("n")).isEqualTo(THREADS * ROUNDS);
    assertThat(wins.get()).isEqualTo(THREADS * ROUNDS);
  }

  @Test
  void exactlyOnePutIfAbsentWinsPerKey() throws Exception {
    Cache<String, Integer> cache = provider.getCacheManager(URI.create("atomicity"),
        getClass().getClassLoader()).createCache("pia", new MutableConfiguration<>());
    AtomicInteger wins = new AtomicInteger();
    onEveryThread(() -> {
      for (int i = 0; i < ROUNDS; i++) {
        if (cache.putIfAbsent("k" + i, i)) {
          wins.incrementAndGet();
        }
      }
    });
    assertThat(wins.get()).isEqualTo(ROUNDS);
  }
}
