package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
  /** Three keys reused, then a fourth and the first again: see SimulatorTest for the counts. */
  private static final String TRACE = "1\n2\n3\n*\n1\n2\n3\n4\n1\n";

  @TempDir
  Path dir;
  private Path trace;

  @BeforeEach
  void writeTrace() throws IOException {
    trace = dir.resolve("small.trace.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(trace))) {
      out.write(TRACE.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void assertNoStackTrace(CliRun run) {
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void printsATableOfHitRatiosForEveryPolicyByDefault() {
    CliRun run = CliRun.of("simulate", "--trace", trace.toString(), "--sizes", "3,2");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .contains("Trace small.trace.gz: 8 accesses, 4 distinct keys")
        .contains("Hit ratio (%)");
    assertThat(run.out().lines().map(String::strip))
        .anySatisfy(l -> assertThat(l).matches("policy\\s+3\\s+2"))
        .anySatisfy(l -> assertThat(l).matches("LRU\\s+37\\.50\\s+\\d+\\.\\d\\d"))
        .anySatisfy(l -> assertThat(l).startsWith("LFU"))
        .anySatisfy(l -> assertThat(l).startsWith("FIFO"))
        .anySatisfy(l -> assertThat(l).startsWith("ADAPTIVE"))
        .anySatisfy(l -> assertThat(l).matches("OPT\\s+50\\.00\\s+\\d+\\.\\d\\d"));
  }

  @Test
  void policiesCanBeChosenInAnyCaseAndPrintedAsCsv() {
    CliRun run = CliRun.of("simulate", "-t", trace.toString(), "-s", "3", "-p", "lru,Opt",
        "--format", "csv");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).containsExactly(
        "trace,policy,size,accesses,distinct_keys,hits,hit_ratio_percent",
        "small.trace.gz,LRU,3,8,4,3,37.50",
        "small.trace.gz,OPT,3,8,4,4,50.00");
  }

  @Test
  void progressGoesToStderrAndNeverIntoTheResults() {
    CliRun run = CliRun.of("simulate", "-t", trace.toString(), "-s", "3", "-p", "opt",
        "--format", "csv", "--progress");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).hasSize(2);
  }

  @Test
  void aMalformedTraceLineFailsWithFileAndLineAndExitCode2() throws IOException {
    Path bad = Files.writeString(dir.resolve("gli.trace"), "1\n2\n*\n12a\n");

    CliRun run = CliRun.of("simulate", "--trace", bad.toString(), "--sizes", "10");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip()).isEqualTo("cachet simulate: " + bad + " line 4: \"12a\" is not"
        + " a key (expected a decimal integer, or * for a breakpoint)");
  }

  @Test
  void aMissingTraceFailsNamingThePath() {
    Path missing = dir.resolve("missing.trace.gz");

    CliRun run = CliRun.of("simulate", "--trace", missing.toString(), "--sizes", "10");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(missing.toString(), "no such file");
    assertNoStackTrace(run);
  }

  @Test
  void badSizesAreAParameterError() {
    for (String sizes : new String[] {"abc", "0", "-5", "10,,20", "1.5"}) {
      CliRun run = CliRun.of("simulate", "--trace", trace.toString(), "--sizes", sizes);

      assertThat(run.exitCode()).as(sizes).isEqualTo(2);
      assertThat(run.err()).as(sizes)
          .contains("Invalid value for option '--sizes'", "is not a cache size",
              "cachet simulate --help");
      assertNoStackTrace(run);
    }
  }

  @Test
  void anUnknownPolicyIsAParameterError() {
    CliRun run = CliRun.of("simulate", "--trace", trace.toString(), "--sizes", "3",
        "--policies", "LRU,CLOCKPRO");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'CLOCKPRO'", "LRU, LFU, FIFO, ADAPTIVE, OPT");
  }

  @Test
  void traceAndSizesAreRequired() {
    CliRun run = CliRun.of("simulate", "--sizes", "3");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required option", "--trace");
  }
}
