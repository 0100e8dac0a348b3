package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store sets the modes of what it creates and of nothing else: directories above the first
 * one it had to create, and files that were already there (a store shared with its group,
 * opened by a process that did not ask for group access), keep the modes their owners gave
 * them, so that opening a store never locks another user out.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ExistingFileModesTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path tmp;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static void setMode(Path p, String mode) throws Exception {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
  }

  @Test
  void directoriesAboveTheFirstMissingOneKeepTheirModes() throws Exception {
    Path shared = Files.createDirectories(tmp.resolve("shared"));
    setMode(shared, "rwxr-xr-x");
    setMode(tmp, "rwxr-x---");
    Path dir = shared.resolve("a").resolve("b").resolve("store");
    try (DiskStore store = DiskStore.open(dir)) {
      store.put(NS, "k", frame("k"), 0, List.of());
    }
    assertThat(mode(shared)).isEqualTo("rwxr-xr-x");
    assertThat(mode(tmp)).isEqualTo("rwxr-x---");
    for (Path created : List.of(shared.resolve("a"), shared.resolve("a").resolve("b"), dir)) {
      assertThat(mode(created)).as(created.toString()).isEqualTo("rwx------");
    }
  }

  @Test
  void filesAndFoldersAStoreFindsKeepTheirModes() throws Exception {
    Path dir = tmp.resolve("store");
    try (DiskStore store = DiskStore.open(dir, DiskStoreOptions.builder()
        .groupAccess(true).sideFileThreshold(1024).build())) {
      store.put(NS, "large", frame(5000, 1), 0, List.of());
    }
    Path db = dir.resolve(DiskStore.DB_FILE);
    Path lock = dir.resolve(StoreLock.FILE);
    Path files = dir.resolve(DiskStore.FILES_DIR);
    assertThat(mode(db)).isEqualTo("rw-rw----");
    assertThat(mode(lock)).isEqualTo("rw-rw----");
    assertThat(mode(files)).isEqualTo("rwxrwx---");
    // Opened by a process of the group that did not ask for group access.
    try (DiskStore store = DiskStore.open(dir)) {
      assertThat(store.get(NS, "large")).isEqualTo(frame(5000, 1));
      store.put(NS, "small", frame("s"), 0, List.of());
    }
    assertThat(mode(db)).as("the database").isEqualTo("rw-rw----");
    assertThat(mode(lock)).as("the lock file").isEqualTo("rw-rw----");
    assertThat(mode(files)).as("the side-file folder").isEqualTo("rwxrwx---");
    assertThat(mode(dir)).as("the store's folder").isEqualTo("rwxrwx---");
  }
}
