package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A user clones the repository alone: no document may send them to the developers' folder
 * beside it (its {@code shared} folder), in a link, an example command or prose. A README example once
 * did, and only a person trying it found out.
 */
class StandAloneDocsTest {
  /** Spelled in two parts so that this file does not itself match a search for the path. */
  private static final String OUTSIDE = ".." + "/shared";

  @Test
  void noDocumentPointsOutsideTheRepository() throws IOException {
    Path root = RepositoryRoot.path();
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path doc : (Iterable<Path>) files
          .filter(p -> p.toString().endsWith(".md"))
          .filter(p -> !p.toString().contains("/target"))
          .filter(p -> !p.startsWith(root.resolve(".git")))::iterator) {
        List<String> lines = Files.readAllLines(doc);
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).contains(OUTSIDE)) {
            found.add(root.relativize(doc) + ":" + (i + 1) + ": " + lines.get(i).trim());
          }
        }
      }
    }
    assertThat(found).as("documents pointing at " + OUTSIDE + ", which a clone does not have; "
        + "copy what they need into the repository").isEmpty();
  }
}
