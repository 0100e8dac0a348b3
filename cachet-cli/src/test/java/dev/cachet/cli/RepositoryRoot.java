package dev.cachet.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the root of the Cachet repository (the folder holding the parent {@code pom.xml}), for
 * tests that read files kept in the repository but outside any module: the reference traces and
 * {@code ARCHITECTURE.md}.
 *
 * <p>The search never leaves the repository: it stops at the first folder whose {@code pom.xml}
 * is Cachet's parent POM, so a folder of the same name beside the clone is never picked up (the
 * tests once read traces from such a folder, and a fresh clone failed).
 */
public final class RepositoryRoot {
  /** Set by the build (cachet-cli's pom.xml) to the module's parent folder. */
  static final String PROPERTY = "cachet.repository.root";

  private static volatile Path root;

  private RepositoryRoot() {
  }

  /**
   * The repository's root folder: from the {@value #PROPERTY} system property when the build sets
   * it, else the nearest folder at or above {@code user.dir} (IDE runs). Fails the test, never
   * skips it, when neither leads to Cachet's parent POM.
   */
  public static Path path() {
    Path found = root;
    if (found != null) {
      return found;
    }
    List<Path> looked = new ArrayList<>();
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path dir = Path.of(configured).toAbsolutePath().normalize();
      looked.add(dir);
      if (!isRoot(dir)) {
        fail("System property " + PROPERTY + " is " + dir + ", which does not hold Cachet's"
            + " parent pom.xml (artifactId cachet-parent)");
      }
      found = dir;
    } else {
      for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
          dir != null; dir = dir.getParent()) {
        looked.add(dir);
        if (isRoot(dir)) {
          found = dir;
          break;
        }
      }
      if (found == null) {
        fail("Cannot find the Cachet repository root (a pom.xml with artifactId cachet-parent)"
            + " at or above user.dir. Looked in: " + looked);
      }
    }
    root = found;
    return found;
  }

  /** {@code relative} resolved against the repository root, such as {@code "traces"}. */
  public static Path resolve(String relative) {
    return path().resolve(relative);
  }

  private static boolean isRoot(Path dir) {
    Path pom = dir.resolve("pom.xml");
    if (!Files.isRegularFile(pom)) {
      return false;
    }
    try {
      return Files.readString(pom).contains("<artifactId>cachet-parent</artifactId>");
    } catch (IOException e) {
      return false;
    }
  }
}
