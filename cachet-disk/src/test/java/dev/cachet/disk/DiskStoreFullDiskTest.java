package dev.cachet.disk;

import static dev.cachet.disk.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk and a real read-only file system, made with a small tmpfs mounted for the
 * test (needs root, as in the project's containers; elsewhere the tests are skipped with the
 * reason). Writes then fail inside SQLite and the file system, not in a simulation.
 */
class DiskStoreFullDiskTest {
  private static final String NS = "fn:1:code:type";

  @TempDir
  Path dir;
  private Path mount;
  private boolean mounted;

  private final StoreWarnings logs = new StoreWarnings();

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  @BeforeEach
  void mountSmallFileSystem() throws Exception {
    logs.start();
    mount = Files.createDirectory(dir.resolve("small"));
    int exit;
    try {
      exit = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString());
    } catch (IOException e) {
      exit = -1;
    }
    mounted = exit == 0;
    assumeThat(mounted).as("mounting a 1 MiB tmpfs needs root (mount exited %d); without it "
        + "there is no real full disk to test against", exit).isTrue();
  }

  @AfterEach
  void unmount() throws Exception {
    logs.stop();
    if (mounted) {
      run("umount", "-l", mount.toString());
    }
  }

  private List<String> warnings(String containing) {
    return logs.messages().stream().filter(m -> m.contains(containing)).toList();
  }

  @Test
  void aFullDiskDropsPutsQuietlyAndLosesNothingStored() throws Exception {
    Path store = mount.resolve("store");
    Map<String, byte[]> stored = new LinkedHashMap<>();
    int dropped = 0;
    try (DiskStore s = DiskStore.open(store, DiskStoreOptions.builder()
        .sideFileThreshold(8 * 1024).build())) {
      for (int i = 0; i < 400 && dropped < 6; i++) {
        // Inline and side-file values, so both SQLite and the side files meet the full disk.
        byte[] f = i % 2 == 0 ? frame(6_000, i) : frame(30_000, i);
        long failures = s.stats().failures();
        s.put(NS, "k" + i, f, 0, List.of("t"));
        if (s.stats().failures() == failures) {
          stored.put("k" + i, f);
        } else {
          dropped++;
        }
      }
      assertThat(dropped).as("the disk filled up").isPositive();
      assertThat(stored).isNotEmpty();
      for (Map.Entry<String, byte[]> e : stored.entrySet()) {
        assertThat(s.get(NS, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
      }
      assertThat(s.stats().failures()).isGreaterThanOrEqualTo(dropped);
      assertThat(s.stats().corruptions()).isZero();
    }
    // Logged once per kind of failure (the side file's IOException, SQLite's), not per put.
    List<String> logged = warnings("put failed");
    assertThat(logged).isNotEmpty().hasSizeLessThanOrEqualTo(2);
    assertThat(logged).allSatisfy(m -> assertThat(m).contains(store.toString()));

    // Nothing stored was lost: another process (here a new store) finds every entry.
    run("mount", "-o", "remount,size=4m", mount.toString());
    try (DiskStore s = DiskStore.open(store)) {
      for (Map.Entry<String, byte[]> e : stored.entrySet()) {
        assertThat(s.get(NS, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
      }
    }
  }

  @Test
  void aReadOnlyDirectoryDropsPutsAndStillServesReads() throws Exception {
    // chattr +i: not even root may create files in the side-file folder any more (remounting
    // the tmpfs read-only is refused while SQLite holds its files open for writing).
    Path store = dir.resolve("ro-store");
    Path files = store.resolve(DiskStore.FILES_DIR);
    try (DiskStore s = DiskStore.open(store)) {
      s.put(NS, "kept", frame("kept"), 0, List.of());
      s.put(NS, "large", frame(100_000, 3), 0, List.of());
      assumeThat(run("chattr", "+i", files.toString())).as("chattr +i on " + files).isZero();
      try {
        long failures = s.stats().failures();
        s.put(NS, "new-large", frame(100_000, 4), 0, List.of());
        s.put(NS, "new-large2", frame(100_000, 5), 0, List.of());
        assertThat(s.stats().failures()).isEqualTo(failures + 2);
        assertThat(s.get(NS, "kept")).isEqualTo(frame("kept"));
        assertThat(s.get(NS, "large")).isEqualTo(frame(100_000, 3));
        assertThat(s.get(NS, "new-large")).isNull();
        s.put(NS, "small", frame("small"), 0, List.of()); // inline values still go in
        assertThat(s.get(NS, "small")).isEqualTo(frame("small"));
      } finally {
        run("chattr", "-i", files.toString());
      }
    }
    assertThat(warnings("put failed")).hasSize(1)
        .allSatisfy(m -> assertThat(m).contains(store.toString()));
  }
}
