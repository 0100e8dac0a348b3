package dev.cachet.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes the scratch directories the disk benchmarks create, so runs leave nothing behind. */
final class DirectoryTrees {
  private DirectoryTrees() {
  }

  /**
   * Deletes {@code dir} and everything under it; nothing if it does not exist. Call it only
   * once every store in it is closed.
   *
   * @param dir the directory
   * @throws IOException if a file cannot be deleted
   */
  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      // Deepest first, so that each directory is empty when its turn comes.
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
