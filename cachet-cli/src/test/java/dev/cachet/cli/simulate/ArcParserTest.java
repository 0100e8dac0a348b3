package dev.cachet.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArcParserTest {
  @TempDir
  Path dir;

  private Path arc(String content) throws IOException {
    return Files.writeString(dir.resolve("P1.lis"), content);
  }

  @Test
  void eachLineReadsCountBlocksFromStart() throws Exception {
    Path file = arc("100 3 0 1\n\n  7 1 0 2\n100 2 0 3\n5 0 0 4\n");

    Trace trace = TraceReader.read(file, TraceFormat.ARC);

    assertThat(trace.keys()).containsExactly(100, 101, 102, 7, 100, 101);
    assertThat(trace.name()).isEqualTo("P1.lis");
  }

  @Test
  void theLastTwoFieldsMayBeMissingAndTabsSeparateToo() throws Exception {
    assertThat(TraceReader.read(arc("10\t2\n"), TraceFormat.ARC).keys()).containsExactly(10, 11);
  }

  @Test
  void aLineWithOneFieldIsReportedWithItsNumberAndTheExpectedLayout() throws Exception {
    Path file = arc("1 1 0 1\n42\n");

    assertThatThrownBy(() -> TraceReader.read(file, TraceFormat.ARC))
        .isInstanceOf(TraceException.class)
        .hasMessage(file + " line 2: \"42\" has one field; expected START COUNT [IGNORED"
            + " REQUEST]: a starting block and a block count, as decimal integers, such as"
            + " \"2048 8 0 1\"")
        .satisfies(e -> assertThat(((TraceException) e).line()).isEqualTo(2));
  }

  @Test
  void aFieldThatIsNotANumberIsNamed() throws Exception {
    Path file = arc("1 x 0 1\n");

    assertThatThrownBy(() -> TraceReader.read(file, TraceFormat.ARC))
        .hasMessageStartingWith(file + " line 1: \"1 x 0 1\" has \"x\" for its block count;"
            + " expected START COUNT");
  }

  @Test
  void negativeCountsAndRangesPast64BitsAreRefused() throws Exception {
    Path negative = arc("5 -2 0 1\n");
    assertThatThrownBy(() -> TraceReader.read(negative, TraceFormat.ARC))
        .hasMessageContaining("line 1: \"5 -2 0 1\" has a negative block count");

    Path past = arc(Long.MAX_VALUE + " 2 0 1\n");
    assertThatThrownBy(() -> TraceReader.read(past, TraceFormat.ARC))
        .hasMessageContaining("runs past the largest 64-bit block number");

    Path huge = arc("0 99999999999 0 1\n");
    assertThatThrownBy(() -> TraceReader.read(huge, TraceFormat.ARC))
        .hasMessageContaining("line 1: \"0 99999999999 0 1\" asks for 99999999999 blocks, more"
            + " accesses than the simulator can hold");
  }

  @Test
  void aBinaryFileReadAsArcSuggestsTheBinaryFormats() throws Exception {
    Path file = Files.write(dir.resolve("cache2k.trace"), new byte[] {0, 0, 0, 1, 0, 0, 0, 2});

    assertThatThrownBy(() -> TraceReader.read(file, TraceFormat.ARC))
        .hasMessageContaining("line 1:")
        .hasMessageContaining("looks binary")
        .hasMessageContaining("--trace-format (cache2k, cloudphysics, corda, scarab,"
            + " oracle-general)");
  }
}
