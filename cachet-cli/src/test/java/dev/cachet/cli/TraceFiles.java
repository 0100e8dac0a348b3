package dev.cachet.cli;

import static org.junit.jupiter.api.Assertions.fail;

import dev.cachet.cli.simulate.Trace;
import dev.cachet.cli.simulate.TraceException;
import dev.cachet.cli.simulate.TraceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads the reference traces kept in the repository's {@code traces/} folder, each once per test
 * run. The traces are part of the repository so that a fresh clone's {@code mvn verify} runs the
 * reference checks; a missing trace fails the test (never skips it), so the checks cannot
 * silently stop running.
 */
public final class TraceFiles {
  private static final Map<String, Trace> LOADED = new ConcurrentHashMap<>();
  private static volatile Path folder;

  private TraceFiles() {
  }

  /** The repository's {@code traces/} folder; fails the test when it does not exist. */
  public static Path folder() {
    Path found = folder;
    if (found == null) {
      found = RepositoryRoot.resolve("traces");
      if (!Files.isDirectory(found)) {
        fail("The reference trace folder " + found + " is missing. It is part of the repository"
            + " (traces/ at its root); restore it with git checkout -- traces");
      }
      // Printed once so a run's output shows which traces were used.
      System.out.println("Reference traces: " + found);
      folder = found;
    }
    return found;
  }

  /** The trace {@code name}, such as {@code "gli"}, read from {@code <name>.trace.gz}. */
  public static Trace load(String name) {
    return LOADED.computeIfAbsent(name, n -> {
      Path file = folder().resolve(n + ".trace.gz");
      if (!Files.isRegularFile(file)) {
        fail("The reference trace " + file + " is missing; it is part of the repository"
            + " (traces/" + n + ".trace.gz), see traces/README.md");
      }
      try {
        return TraceReader.read(file);
      } catch (TraceException e) {
        throw new AssertionError("cannot load reference trace " + file + ": " + e.getMessage(), e);
      }
    });
  }
}
