package dev.cachet.cli;

import static org.junit.jupiter.api.Assertions.fail;

import dev.cachet.cli.simulate.Trace;
import dev.cachet.cli.simulate.TraceException;
import dev.cachet.cli.simulate.TraceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the shared trace folder ({@code shared/traces}, a sibling of the project root in CI)
 * and loads traces from it, each once per test run.
 */
public final class TraceFiles {
  private static final Map<String, Trace> LOADED = new ConcurrentHashMap<>();
  private static volatile Path folder;

  private TraceFiles() {
  }

  /**
   * The {@code shared/traces} folder, found by walking up from {@code user.dir}. Fails the test
   * (never skips it) when absent: the reference checks must not silently stop running.
   */
  public static Path folder() {
    Path found = folder;
    if (found == null) {
      List<Path> looked = new ArrayList<>();
      for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null;
          dir = dir.getParent()) {
        Path candidate = dir.resolve("shared").resolve("traces");
        looked.add(candidate);
        if (Files.isDirectory(candidate)) {
          found = candidate;
          break;
        }
      }
      if (found == null) {
        fail("Cannot find the trace folder shared/traces. It must sit beside the project root"
            + " (../shared/traces from the root). Looked in: " + looked);
      }
      folder = found;
    }
    return found;
  }

  /** The trace {@code name}, such as {@code "gli"}, read from {@code <name>.trace.gz}. */
  public static Trace load(String name) {
    return LOADED.computeIfAbsent(name, n -> {
      Path file = folder().resolve(n + ".trace.gz");
      try {
        return TraceReader.read(file);
      } catch (TraceException e) {
        throw new AssertionError("cannot load reference trace " + file + ": " + e.getMessage(), e);
      }
    });
  }
}
