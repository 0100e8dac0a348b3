package dev.cachet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each run rewrites only its own section of RESULTS.md; other runs' sections survive it. */
class ResultsFileTest {
  private final ResultsSection shortRun = BenchmarkReport.SECTION;

  @Test
  void onlyTheMarkedSectionIsReplaced() {
    String existing = "intro\n" + shortRun.wrap("old run") + "\n\n## Redis tier\nkept\n"
        + DiskReport.SECTION.wrap("disk") + "\n";
    String updated = shortRun.replaceIn(existing, shortRun.wrap("new run"), true);
    assertThat(updated).doesNotContain("old run").contains("new run")
        .startsWith("intro\n").contains("## Redis tier\nkept").contains("disk\n");
  }

  @Test
  void aMissingSectionGoesFirstOrLastAsAsked() {
    String existing = "## LLM proxy\nproxy numbers\n";
    assertThat(shortRun.replaceIn(existing, shortRun.wrap("run"), true))
        .startsWith(shortRun.start()).endsWith(existing);
    assertThat(DiskReport.SECTION.replaceIn(existing, DiskReport.SECTION.wrap("disk"), false))
        .startsWith(existing).endsWith(DiskReport.SECTION.end() + "\n");
  }
}
