package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A closed store refuses every write, removal and flush with an {@link IllegalStateException}
 * that names it, and what it stored before stays for the next open.
 */
class ClosedStoreTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;

  @Test
  void everyWriteRemovalAndFlushOfAClosedStoreIsRefusedAndNothingStoredIsLost() {
    DiskStore store = DiskStore.open(dir);
    store.put(NS, "a", frame(8, 1), 0, List.of("t"));
    store.put(NS, "b", frame(8, 2), 0, List.of());
    store.close();

    List<ThrowingCallable> calls = List.of(
        () -> store.remove(NS, "a"),
        () -> store.removeNamespace(NS),
        () -> store.removeTag("t"),
        store::removeAll,
        store::clear,
        store::flush,
        () -> store.put(NS, "c", frame(8, 3), 0, List.of()));
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call).isInstanceOf(IllegalStateException.class)
          .hasMessage("The disk store " + dir.toAbsolutePath() + " is closed");
    }

    try (DiskStore reopened = DiskStore.open(dir)) {
      assertThat(reopened.get(NS, "a")).isEqualTo(frame(8, 1));
      assertThat(reopened.get(NS, "b")).isEqualTo(frame(8, 2));
      assertThat(reopened.get(NS, "c")).isNull();
      assertThat(reopened.stats().entries()).isEqualTo(2);
    }
  }
}
