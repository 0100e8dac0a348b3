package dev.cachet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness rewrites only its own section of RESULTS.md. */
class ProxyLatencyTest {

  @Test
  void appendsItsSectionWhenAbsentAndReplacesOnlyItOtherwise(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("RESULTS.md");
    Files.writeString(file, "# Results\n\n## All benchmarks\n\nrows\n");

    ProxyLatency.record(file, "## LLM proxy\n\nfirst\n");
    assertEquals("# Results\n\n## All benchmarks\n\nrows\n\n## LLM proxy\n\nfirst\n",
        Files.readString(file));

    Files.writeString(file, Files.readString(file) + "\n## Later section\n\nkept\n");
    ProxyLatency.record(file, "## LLM proxy\n\nsecond\n");
    assertEquals("# Results\n\n## All benchmarks\n\nrows\n\n## LLM proxy\n\nsecond\n"
        + "\n## Later section\n\nkept\n", Files.readString(file));
  }
}
