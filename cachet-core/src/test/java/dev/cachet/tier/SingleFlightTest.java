package dev.cachet.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Concurrent callers of one key share one computation, its result and its exception. */
class SingleFlightTest {
  private final SingleFlight<String, String> flight = new SingleFlight<>("test calls");

  @Test
  void aCallerArrivingDuringAComputationSharesItsResult() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger computations = new AtomicInteger();
    CompletableFuture<SingleFlight.Outcome<String>> first = CompletableFuture.supplyAsync(
        () -> flight.run("k", () -> {
          computations.incrementAndGet();
          started.countDown();
          await(release);
          return "answer";
        }));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<SingleFlight.Outcome<String>> second = new CompletableFuture<>();
    Thread waiter = new Thread(() -> second.complete(flight.run("k", () -> {
      computations.incrementAndGet();
      return "second";
    })));
    waiter.start();
    awaitBlocked(waiter);
    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS))
        .isEqualTo(new SingleFlight.Outcome<>("answer", false));
    assertThat(second.get(10, TimeUnit.SECONDS))
        .isEqualTo(new SingleFlight.Outcome<>("answer", true));
    assertThat(computations).hasValue(1);
  }

  @Test
  void waitingCallersGetTheComputationsExceptionItself() throws Exception {
    IllegalStateException failure = new IllegalStateException("upstream down");
    assertThat(failureSeenByAWaiter(failure)).isSameAs(failure);
  }

  @Test
  void waitingCallersGetAnErrorOfTheComputationAsItself() throws Exception {
    StackOverflowError failure = new StackOverflowError("deep recursion");
    assertThat(failureSeenByAWaiter(failure)).as("the Error itself, not wrapped")
        .isSameAs(failure);
  }

  @Test
  void aComputationIsInFlightWhileItRunsAndNotAfter() {
    assertThat(flight.run("k", () -> "in flight " + flight.inFlight()).value())
        .isEqualTo("in flight 1");
    assertThat(flight.inFlight()).isZero();
  }

  /**
   * Runs a computation that throws {@code failure} while a second caller waits for it; returns
   * what the waiter caught (the first caller must see the same failure).
   */
  private Throwable failureSeenByAWaiter(Throwable failure) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> flight.run("k", () -> {
      started.countDown();
      await(release);
      if (failure instanceof Error e) {
        throw e;
      }
      throw (RuntimeException) failure;
    }));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Throwable> second = new CompletableFuture<>();
    Thread waiter = new Thread(() -> {
      try {
        flight.run("k", () -> "computed again");
        second.complete(null);
      } catch (Throwable e) {
        second.complete(e);
      }
    });
    waiter.start();
    awaitBlocked(waiter);
    release.countDown();

    assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCause(failure);
    return second.get(10, TimeUnit.SECONDS);
  }

  /** Waits until {@code t} blocks: here, only in the join of the running computation. */
  private static void awaitBlocked(Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the second caller never waited; state " + t.getState());
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void aComputationAskingForItsOwnKeyFailsInsteadOfWaitingForever() {
    assertThatThrownBy(() -> flight.run("k", () -> flight.run("k", () -> "inner").value()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("test calls")
        .hasMessageContaining("its own key (k)");
    assertThat(flight.inFlight()).isZero();
  }

  @Test
  void differentKeysDoNotWaitForEachOther() {
    assertThat(flight.run("a", () -> flight.run("b", () -> "b").value()).value())
        .isEqualTo("b");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
