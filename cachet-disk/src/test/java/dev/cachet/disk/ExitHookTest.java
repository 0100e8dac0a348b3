package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM exit hook that publishes a store's journaled puts when a program exits without
 * closing it: the first open registers it, and running it writes every open store's journal
 * to the database, where other processes read. (A child JVM that really exits checks the same
 * end to end: {@code MultiProcessTest}.)
 */
class ExitHookTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  @Test
  void theFirstOpenRegistersTheExitHook() {
    Runtime runtime = Runtime.getRuntime();
    // Start from a JVM where no store has registered it yet.
    runtime.removeShutdownHook(DiskStore.EXIT_HOOK);
    DiskStore.SHUTDOWN_HOOK.set(false);
    boolean registered = false;
    try (DiskStore store = DiskStore.open(dir)) {
      registered = runtime.removeShutdownHook(DiskStore.EXIT_HOOK);
    } finally {
      if (!DiskStore.SHUTDOWN_HOOK.get() || registered) {
        // Leaves the JVM as the stores expect: registered once.
        runtime.addShutdownHook(DiskStore.EXIT_HOOK);
        DiskStore.SHUTDOWN_HOOK.set(true);
      }
    }
    assertThat(registered).as("the exit hook is registered by the first open").isTrue();
  }

  @Test
  void theExitHookWritesJournaledPutsWhereOtherProcessesRead() {
    DiskStoreOptions slow = DiskStoreOptions.builder().writeBehind(Duration.ofMinutes(1)).build();
    try (DiskStore writer = DiskStore.open(dir, slow);
        DiskStore other = DiskStore.open(dir, slow)) {
      writer.put(NS, "a", frame(8, 1), 0, List.of());
      assertThat(other.get(NS, "a")).as("journaled only, not in the database yet").isNull();

      DiskStore.EXIT_HOOK.run();

      assertThat(other.get(NS, "a")).isEqualTo(frame(8, 1));
    }
  }
}
