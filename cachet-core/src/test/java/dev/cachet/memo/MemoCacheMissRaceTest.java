package dev.cachet.memo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.stats.CacheEvent;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The window between a caller's memory lookup and its taking the key's flight: a load that
 * finished in between has stored its result (or its failure), which the miss must serve, to the
 * caller and to anyone who joined its flight, rather than compute the key again. No public call
 * can stop a caller inside that window, so these tests call the miss half directly.
 */
class MemoCacheMissRaceTest {

  @Test
  void aValueStoredJustBeforeTheMissIsServedWithoutComputingAgain() {
    MemoCache cache = new MemoCache("c", CacheConfig.defaults());
    cache.put("k", "stored");
    AtomicInteger loads = new AtomicInteger();

    assertThat(cache.miss("k", () -> "computed " + loads.incrementAndGet())).isEqualTo("stored");
    assertThat(loads).hasValue(0);
    assertThat(cache.info().hits()).isEqualTo(1);
    assertThat(cache.info().misses()).isZero();
  }

  @Test
  void aFailureCachedJustBeforeTheMissIsRethrownToTheCallerAndToItsWaiters() throws Exception {
    ExecutorService one = Executors.newSingleThreadExecutor();
    ExecutorService two = Executors.newSingleThreadExecutor();
    try {
      Thread first = one.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
      Thread second = two.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
      AtomicBoolean armed = new AtomicBoolean();
      CountDownLatch secondJoined = new CountDownLatch(1);
      AtomicReference<MemoCache> cache = new AtomicReference<>();
      AtomicReference<Future<Object>> joined = new AtomicReference<>();
      AtomicInteger loads = new AtomicInteger();
      Loader counting = () -> "computed " + loads.incrementAndGet();
      // The first thread's hit on the cached failure is reported while it holds the key's
      // flight: there, a second caller joins that flight before the first goes on.
      CacheConfig config = CacheConfig.defaults().with(m -> {
        m.cacheExceptions = Duration.ofMinutes(1);
        m.listeners.add(e -> {
          if (e.type() != CacheEvent.Type.HIT) {
            return;
          }
          if (Thread.currentThread() == first && armed.getAndSet(false)) {
            joined.set(two.submit(() -> cache.get().miss("k", counting)));
            await(secondJoined);
          } else if (Thread.currentThread() == second) {
            secondJoined.countDown();
          }
        });
      });
      cache.set(new MemoCache("c", config));
      assertThatThrownBy(() -> cache.get().miss("k", () -> {
        throw new IllegalStateException("backend down");
      })).hasMessage("backend down");

      armed.set(true);
      Future<Object> own = one.submit(() -> cache.get().miss("k", counting));

      assertThatThrownBy(() -> own.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().hasMessage("backend down");
      assertThat(loads).as("the cached failure was served, not recomputed").hasValue(0);
      assertThat(joined.get()).as("a second caller joined the flight").isNotNull();
      assertThatThrownBy(() -> joined.get().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().hasMessage("backend down");
    } finally {
      one.shutdownNow();
      two.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test latch not released in 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
