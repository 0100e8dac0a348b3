package dev.cachet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The short run rewrites only its own part of RESULTS.md; other runs' sections survive it. */
class ResultsFileTest {
  private static final String NEW = BenchmarkReport.START + "\nnew run\n" + BenchmarkReport.END
      + "\n";

  @Test
  void onlyTheMarkedBlockIsReplaced() {
    String existing = "intro\n" + BenchmarkReport.START + "\nold run\n" + BenchmarkReport.END
        + "\n\n## Redis tier\nkept\n<!-- disk-tier:start -->\ndisk\n<!-- disk-tier:end -->\n";
    String updated = BenchmarkReport.replaceBlock(existing, NEW);
    assertThat(updated).doesNotContain("old run").contains("new run")
        .startsWith("intro\n").contains("## Redis tier\nkept").contains("disk\n");
  }

  @Test
  void aFileFromBeforeTheMarkersKeepsEverySectionOtherRunsWrote() {
    String existing = "# results\nold tables\n\n## LLM proxy\nproxy numbers\n"
        + "## Redis tier\nredis numbers\n";
    String updated = BenchmarkReport.replaceBlock(existing, NEW);
    assertThat(updated).doesNotContain("old tables").startsWith(BenchmarkReport.START)
        .contains("## LLM proxy\nproxy numbers").contains("redis numbers");
  }
}
