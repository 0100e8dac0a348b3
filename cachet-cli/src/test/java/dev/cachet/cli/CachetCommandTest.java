package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CachetCommandTest {

  @Test
  void withoutASubcommandItShowsTheCommandsAndFails() {
    CliRun run = CliRun.of();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing subcommand", "cachet demo", "simulate");
  }

  @Test
  void helpListsTheSubcommands() {
    CliRun run = CliRun.of("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: cachet", "demo", "simulate");
  }

  @Test
  void versionNamesTheProgram() {
    CliRun run = CliRun.of("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("cachet ").contains("Java ");
  }

  @Test
  void aMisspelledSubcommandGetsASuggestion() {
    CliRun run = CliRun.of("simulat");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unmatched argument", "simulate");
  }

  @Test
  void helpSubcommandShowsASubcommandsHelp() {
    CliRun run = CliRun.of("help", "simulate");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--trace", "--sizes", "--policies");
  }
}
