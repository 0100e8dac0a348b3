package dev.cachet.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What this process's file descriptors point to, read from Linux's {@code /proc/self/fd}: the
 * witness that the store closes what it opened, and never a descriptor on SQLite's files that
 * SQLite did not open itself.
 */
final class OpenDescriptors {
  static final Path FD_DIR = Path.of("/proc/self/fd");

  private OpenDescriptors() {
  }

  /** Every target, as the kernel names it (a deleted file ends with " (deleted)"). */
  static List<Path> targets() {
    List<Path> targets = new ArrayList<>();
    try (Stream<Path> fds = Files.list(FD_DIR)) {
      for (Path fd : fds.toList()) {
        try {
          targets.add(Files.readSymbolicLink(fd));
        } catch (IOException gone) {
          // closed meanwhile (the descriptor of the listing itself, say)
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return targets;
  }

  /** The open files under {@code root}. */
  static List<Path> under(Path root) throws IOException {
    Path real = root.toRealPath();
    return targets().stream().filter(t -> t.startsWith(real)).toList();
  }

  /** How many descriptors are open on {@code file}. */
  static long on(Path file) throws IOException {
    Path real = file.toRealPath();
    return targets().stream().filter(real::equals).count();
  }
}
