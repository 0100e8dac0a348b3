package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
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

  @Test
  void aBinaryTraceIsReadInTheFormatNamed() throws IOException {
    // The same accesses as TRACE, as libCacheSim oracleGeneral records.
    long[] keys = {1, 2, 3, 1, 2, 3, 4, 1};
    ByteBuffer records = ByteBuffer.allocate(24 * keys.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < keys.length; i++) {
      records.putInt(i).putLong(keys[i]).putInt(4096).putLong(-1);
    }
    Path file = Files.write(dir.resolve("small.oracleGeneral.bin"), records.array());

    CliRun run = CliRun.of("simulate", "-t", file.toString(), "--trace-format", "oracle-general",
        "-s", "3", "-p", "lru,opt", "--format", "csv");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).containsExactly(
        "trace,policy,size,accesses,distinct_keys,hits,hit_ratio_percent",
        "small.oracleGeneral.bin,LRU,3,8,4,3,37.50",
        "small.oracleGeneral.bin,OPT,3,8,4,4,50.00");
  }

  @Test
  void anUnknownTraceFormatIsAParameterErrorListingTheFormats() {
    CliRun run = CliRun.of("simulate", "-t", trace.toString(), "-s", "3",
        "--trace-format", "parquet");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Invalid value for option '--trace-format': 'parquet' is not"
        + " a trace format (expected one of lirs, arc, cache2k, cloudphysics, corda, scarab,"
        + " libcachesim-csv, oracle-general)");
    assertNoStackTrace(run);
  }

  @Test
  void aTextTraceReadAsBinaryFailsWithTheReason() {
    CliRun run = CliRun.of("simulate", "-t", trace.toString(), "-s", "3",
        "--trace-format", "CACHE2K");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(trace.toString(), "looks like a text trace",
        "--trace-format lirs");
    assertNoStackTrace(run);
  }

  @Test
  void plotsArePngOrHtmlByTheirName() throws IOException {
    Path png = dir.resolve("small.png");
    Path html = dir.resolve("small.html");

    CliRun table = CliRun.of("simulate", "-t", trace.toString(), "-s", "2,3", "--plot",
        png.toString());
    CliRun csv = CliRun.of("simulate", "-t", trace.toString(), "-s", "2,3", "--plot",
        html.toString(), "--format", "csv");

    assertThat(table.exitCode()).isZero();
    assertThat(table.out()).contains("Plot written to " + png + ".");
    assertThat(ImageIO.read(png.toFile())).isNotNull();
    assertThat(csv.exitCode()).isZero();
    assertThat(csv.out()).doesNotContain("Plot written");
    assertThat(Files.readString(html)).contains("data-policy=\"LRU\"", "data-policy=\"OPT\"");
  }

  @Test
  void aPlotNameOfNoKnownKindFailsBeforeSimulating() {
    Path svg = dir.resolve("small.svg");

    CliRun run = CliRun.of("simulate", "-t", trace.toString(), "-s", "3", "--plot",
        svg.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip()).isEqualTo("cachet simulate: cannot write plot " + svg
        + ": its name must end in .png (an image) or .html (a page with the chart as SVG)");
    assertThat(svg).doesNotExist();
  }

  @Test
  void theHelpListsEveryTraceFormatAndSaysSizesAreIgnored() {
    CliRun run = CliRun.of("simulate", "--help");

    assertThat(run.exitCode()).isZero();
    for (String format : new String[] {"lirs", "arc", "cache2k", "cloudphysics", "corda",
        "scarab", "libcachesim-csv", "oracle-general"}) {
      assertThat(run.out()).contains("  " + format + " ");
    }
    assertThat(run.out()).contains("--trace-format=FORMAT", "--plot=FILE",
        "the simulator counts entries, not bytes", "gzip, xz, zstd, bzip2");
  }
}
