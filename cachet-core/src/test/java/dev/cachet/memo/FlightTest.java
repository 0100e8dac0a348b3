package dev.cachet.memo;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The waits-for graph that keeps nested loads across threads from deadlocking. */
class FlightTest {

  @Test
  void waitingThatWouldCloseACycleIsRefusedAndLeavesNoEdge() throws Exception {
    ExecutorService a = Executors.newSingleThreadExecutor();
    ExecutorService b = Executors.newSingleThreadExecutor();
    try {
      Flight ownedByA = a.submit(Flight::new).get();
      Flight ownedByB = b.submit(Flight::new).get();

      // A waits for B's load: fine, nothing waits for A yet.
      Flight aPrevious = a.submit(() -> Flight.startWaiting(ownedByB)).get(5, TimeUnit.SECONDS);
      assertThat(aPrevious).isSameAs(Flight.NOT_WAITING);

      // B waiting for A's load would wait for itself through A: refused.
      assertThat(b.submit(() -> Flight.startWaiting(ownedByA)).get(5, TimeUnit.SECONDS)).isNull();

      // Once A stops waiting, B may wait for A.
      a.submit(() -> Flight.stopWaiting(aPrevious)).get(5, TimeUnit.SECONDS);
      Flight bPrevious = b.submit(() -> Flight.startWaiting(ownedByA)).get(5, TimeUnit.SECONDS);
      assertThat(bPrevious).isSameAs(Flight.NOT_WAITING);
      b.submit(() -> Flight.stopWaiting(bPrevious)).get(5, TimeUnit.SECONDS);
    } finally {
      a.shutdownNow();
      b.shutdownNow();
    }
  }

  @Test
  void aNestedWaitRestoresTheOuterEdge() throws Exception {
    ExecutorService a = Executors.newSingleThreadExecutor();
    ExecutorService b = Executors.newSingleThreadExecutor();
    ExecutorService c = Executors.newSingleThreadExecutor();
    try {
      Flight ownedByA = a.submit(Flight::new).get();
      Flight ownedByB = b.submit(Flight::new).get();
      Flight ownedByC = c.submit(Flight::new).get();

      // C waits for B, then, nested inside that wait, briefly for A.
      CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
        Flight outer = Flight.startWaiting(ownedByB);
        Flight inner = Flight.startWaiting(ownedByA);
        Flight.stopWaiting(inner);
        // The outer edge C -> B is back: B waiting for C would now close a cycle.
        try {
          assertThat(b.submit(() -> Flight.startWaiting(ownedByC)).get()).isNull();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        Flight.stopWaiting(outer);
      }, c);
      done.get(5, TimeUnit.SECONDS);
    } finally {
      a.shutdownNow();
      b.shutdownNow();
      c.shutdownNow();
    }
  }

  @Test
  void aThreadThatStoppedWaitingLeavesNoEdgeBehind() throws Exception {
    ExecutorService a = Executors.newSingleThreadExecutor();
    ExecutorService b = Executors.newSingleThreadExecutor();
    try {
      Thread threadA = a.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
      Flight ownedByB = b.submit(Flight::new).get(5, TimeUnit.SECONDS);
      a.submit(() -> Flight.stopWaiting(Flight.startWaiting(ownedByB))).get(5, TimeUnit.SECONDS);

      // The graph holds only threads waiting now: an edge left behind would keep every thread
      // that ever waited (and its flight) reachable for the life of the JVM.
      assertThat(waitingThreads()).doesNotContainKey(threadA);
    } finally {
      a.shutdownNow();
      b.shutdownNow();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<Thread, Flight> waitingThreads() throws ReflectiveOperationException {
    Field waiting = Flight.class.getDeclaredField("WAITING");
    waiting.setAccessible(true);
    return (Map<Thread, Flight>) waiting.get(null);
  }
}
