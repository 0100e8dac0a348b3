package dev.cachet.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.redis.RedisStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two applications on the Redis at 127.0.0.1:6379 (skipped without one, unless
 * CACHET_REQUIRE_REDIS=1) share entries, and an eviction in one reaches the other. Keys live
 * under a prefix of this run's own.
 */
class RedisAppTest {
  private static String uri;

  @BeforeAll
  static void findRedis() {
    boolean up = answersPing();
    if (!up && "1".equals(System.getenv("CACHET_REQUIRE_REDIS"))) {
      throw new AssertionError("CACHET_REQUIRE_REDIS=1 but no redis-server on 127.0.0.1:6379");
    }
    Assumptions.assumeTrue(up, "no redis-server on 127.0.0.1:6379");
    String prefix = "cachet-spring-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    uri = "redis://127.0.0.1:6379?timeout=5s&prefix=" + prefix;
  }

  @AfterAll
  static void removeThisRunsKeys() {
    if (uri != null) {
      try (RedisStore store = RedisStore.open(uri)) {
        store.clear();
      }
    }
  }

  private static ConfigurableApplicationContext app() {
    return BackOffTest.run(CatalogApp.class, "cachet.redis=" + uri,
        "cachet.caches.books.value-type=dev.cachet.spring.boot.tests.Catalog$Book");
  }

  @Test
  void twoApplicationsShareEntriesAndEvictions() {
    try (ConfigurableApplicationContext a = app(); ConfigurableApplicationContext b = app()) {
      Catalog catalogA = a.getBean(Catalog.class);
      Catalog catalogB = b.getBean(Catalog.class);

      Catalog.Book computed = catalogA.book("isbn-1");
      assertThat(catalogB.book("isbn-1")).isEqualTo(computed);
      assertThat(catalogA.calls("isbn-1") + catalogB.calls("isbn-1")).isEqualTo(1);

      catalogA.bookChanged("isbn-1"); // @CacheEvict in application a
      Cache booksB = b.getBean(CacheManager.class).getCache("books");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (booksB.get("isbn-1") != null && System.nanoTime() - deadline < 0) {
        Thread.onSpinWait();
      }
      assertThat(booksB.get("isbn-1")).as("b's copy, 10 s after a's eviction").isNull();
      catalogB.book("isbn-1");
      assertThat(catalogB.calls("isbn-1")).isEqualTo(1);
    }
  }

  @Test
  void aKeyMissingInTwoApplicationsIsComputedOnceForBoth() throws Exception {
    try (ConfigurableApplicationContext a = app(); ConfigurableApplicationContext b = app()) {
      Catalog catalogA = a.getBean(Catalog.class);
      Catalog catalogB = b.getBean(Catalog.class);
      CountDownLatch release = new CountDownLatch(1);
      catalogA.holdFleetComputationsUntil(release);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<String> fromA = pool.submit(() -> catalogA.fleetTitle("isbn-7"));
        assertThat(catalogA.awaitFleetComputationStarted()).isTrue();

        AtomicReference<Thread> threadB = new AtomicReference<>();
        Future<String> fromB = pool.submit(() -> {
          threadB.set(Thread.currentThread());
          return catalogB.fleetTitle("isbn-7");
        });
        // Release a's computation only once b waits for it (or, were the fleet lock missing,
        // once b computes too): until then b might simply arrive after a's result was stored.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!waitsForTheFleet(threadB.get()) && catalogB.calls("fleet:isbn-7") == 0
            && System.nanoTime() - deadline < 0) {
          Thread.onSpinWait();
        }
        release.countDown();

        assertThat(fromA.get(30, TimeUnit.SECONDS)).isEqualTo("fleet title of isbn-7");
        assertThat(fromB.get(30, TimeUnit.SECONDS)).isEqualTo("fleet title of isbn-7");
        assertThat(catalogB.calls("fleet:isbn-7")).as("computations in b").isZero();
        assertThat(catalogA.calls("fleet:isbn-7")).as("computations in a").isEqualTo(1);
      } finally {
        release.countDown();
        pool.shutdownNow();
      }
    }
  }

  /**
   * Whether {@code thread} is waiting for another process's computation. Read from its stack:
   * the wait has no other outward sign, and without this point of synchronisation the test
   * could pass without the two applications ever overlapping.
   */
  private static boolean waitsForTheFleet(Thread thread) {
    if (thread == null) {
      return false;
    }
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().startsWith("dev.cachet.redis.")
          && frame.getMethodName().equals("awaitRelease")) {
        return true;
      }
    }
    return false;
  }

  static boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[5];
      int n = in.readNBytes(reply, 0, 5);
      return n == 5 && new String(reply, StandardCharsets.US_ASCII).equals("+PONG");
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
