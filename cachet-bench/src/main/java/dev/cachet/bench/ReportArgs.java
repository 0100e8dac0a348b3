package dev.cachet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options shared by the report runners ({@link BenchmarkReport}, {@link DiskReport}):
 * {@code [--results FILE] [--json FILE] [--include REGEX]...}.
 *
 * @param results the RESULTS.md to update
 * @param json where JMH writes its raw results (a temporary file unless given)
 * @param includes benchmark patterns to run; empty for the runner's default
 */
record ReportArgs(Path results, Path json, List<String> includes) {

  /**
   * Reads {@code args}, naming {@code program} in the usage message of a bad option.
   *
   * @throws IllegalArgumentException naming the bad option and the usage
   */
  static ReportArgs parse(String program, String[] args) throws IOException {
    Path results = Files.isDirectory(Path.of("cachet-bench"))
        ? Path.of("cachet-bench", "RESULTS.md") : Path.of("RESULTS.md");
    Path json = null;
    List<String> includes = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw usage(program, "missing value after " + flag);
      }
      String value = args[++i];
      switch (flag) {
        case "--results" -> results = Path.of(value);
        case "--json" -> json = Path.of(value);
        case "--include" -> includes.add(value);
        default -> throw usage(program, "unknown option " + flag);
      }
    }
    if (json == null) {
      json = Files.createTempFile("cachet-jmh-", ".json");
    }
    if (json.getParent() != null) {
      Files.createDirectories(json.getParent());
    }
    return new ReportArgs(results, json, includes);
  }

  private static IllegalArgumentException usage(String program, String problem) {
    return new IllegalArgumentException(problem + ". Usage: " + program
        + " [--results FILE] [--json FILE] [--include REGEX]...");
  }
}
