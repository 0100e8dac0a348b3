package dev.cachet.spring.boot.tests;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;

/** The service of the test applications: its methods count their calls per key. */
public class Catalog {
  private final CacheManager cacheManager;
  private final ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private volatile boolean sawAllWaiters;

  /** A book as the tiers below memory store it: JSON, decoded back into this record. */
  public record Book(String isbn, String title, List<String> authors) {
  }

  public Catalog(CacheManager cacheManager) {
    this.cacheManager = cacheManager;
  }

  public int calls(String key) {
    AtomicInteger count = calls.get(key);
    return count == null ? 0 : count.get();
  }

  private void count(String key) {
    calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  @Cacheable("books")
  public Book book(String isbn) {
    count(isbn);
    return new Book(isbn, "title of " + isbn, List.of("author of " + isbn));
  }

  @CacheEvict(cacheNames = "books", key = "#isbn")
  public void bookChanged(String isbn) {
  }

  @Cacheable("titles")
  public String title(String isbn) {
    count("title:" + isbn);
    return "title of " + isbn;
  }

  /**
   * Waits, bounded, until {@code waiters} other callers wait for this computation (Cachet
   * counts each as a hit when it joins the flight): without single-flight they would run this
   * method themselves instead, and the count of calls would show it.
   */
  @Cacheable(cacheNames = "slow", sync = true)
  public String slowTitle(String isbn, int waiters) {
    count("slow:" + isbn);
    dev.cachet.Cache<?, ?> slow =
        (dev.cachet.Cache<?, ?>) cacheManager.getCache("slow").getNativeCache();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (slow.stats().hits() < waiters && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
    sawAllWaiters = slow.stats().hits() >= waiters;
    return "slow title of " + isbn;
  }

  private volatile java.util.concurrent.CountDownLatch holdFleetComputations;
  private final java.util.concurrent.CountDownLatch fleetComputationStarted =
      new java.util.concurrent.CountDownLatch(1);

  /** Makes {@link #fleetTitle} wait (at most 30 s) for {@code release} once it has started. */
  public void holdFleetComputationsUntil(java.util.concurrent.CountDownLatch release) {
    holdFleetComputations = release;
  }

  /** Waits, at most 20 s, until a computation of {@link #fleetTitle} started here. */
  public boolean awaitFleetComputationStarted() throws InterruptedException {
    return fleetComputationStarted.await(20, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Cacheable(cacheNames = "fleet", sync = true)
  public String fleetTitle(String isbn) throws InterruptedException {
    count("fleet:" + isbn);
    fleetComputationStarted.countDown();
    java.util.concurrent.CountDownLatch hold = holdFleetComputations;
    if (hold != null && !hold.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new IllegalStateException("the test never released the computation");
    }
    return "fleet title of " + isbn;
  }

  /** Read through a method: the bean is a proxy, whose own fields are not the target's. */
  public boolean sawAllWaiters() {
    return sawAllWaiters;
  }
}
