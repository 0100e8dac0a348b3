package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoCommandTest {

  @Test
  void runsTheDemoThroughTheCommandLine() {
    CliRun run = CliRun.of("demo");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .contains("computing factorial(10)", "computing factorial(12)")
        .contains("CacheInfo(hits=")
        .contains("MISS", "HIT")
        .endsWith(System.lineSeparator());
  }
}
