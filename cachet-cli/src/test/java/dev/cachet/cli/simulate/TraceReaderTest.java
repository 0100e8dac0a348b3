package dev.cachet.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReaderTest {
  private static final String TEXT = "1\n2\n*\n\n  3  \r\n-4\n*\n1\n";
  private static final long[] KEYS = {1, 2, 3, -4, 1};

  @TempDir
  Path dir;

  private Path plain(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private Path gzip(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }

  @Test
  void readsPlainTextSkippingBreakpointsAndBlankLines() throws Exception {
    Trace trace = TraceReader.read(plain("small.trace", TEXT));

    assertThat(trace.keys()).containsExactly(KEYS);
    assertThat(trace.name()).isEqualTo("small.trace");
    assertThat(trace.accesses()).isEqualTo(5);
    assertThat(trace.distinctKeys()).isEqualTo(4);
  }

  @Test
  void readsGzipNamedGz() throws Exception {
    assertThat(TraceReader.read(gzip("small.trace.gz", TEXT)).keys()).containsExactly(KEYS);
  }

  @Test
  void recognizesGzipByItsMagicNumberWhateverTheName() throws Exception {
    assertThat(TraceReader.read(gzip("small.lirs", TEXT)).keys()).containsExactly(KEYS);
  }

  @Test
  void readsLargeTracesBeyondTheInitialBuffer() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 200_000; i++) {
      text.append(i % 1000).append('\n');
    }
    Trace trace = TraceReader.read(gzip("big.trace.gz", text.toString()));

    assertThat(trace.accesses()).isEqualTo(200_000);
    assertThat(trace.distinctKeys()).isEqualTo(1000);
    assertThat(trace.key(199_999)).isEqualTo(999);
  }

  @Test
  void aMalformedLineIsReportedWithFileAndLineNumber() throws Exception {
    Path file = plain("bad.trace", "1\n2\n*\n12a\n3\n");

    assertThatThrownBy(() -> TraceReader.read(file))
        .isInstanceOf(TraceException.class)
        .hasMessage(file + " line 4: \"12a\" is not a key (expected a decimal integer, or * for a"
            + " breakpoint)")
        .satisfies(e -> assertThat(((TraceException) e).line()).isEqualTo(4));
  }

  @Test
  void aMalformedLineInGzipIsReportedWithItsLineNumberToo() throws Exception {
    Path file = gzip("bad.trace.gz", "1\n2\n3\n4\nfive\n");

    assertThatThrownBy(() -> TraceReader.read(file))
        .isInstanceOf(TraceException.class)
        .hasMessageStartingWith(file + " line 5: \"five\" is not a key");
  }

  @Test
  void signsOtherThanMinusAndNonAsciiDigitsAreNotKeys() throws Exception {
    assertThatThrownBy(() -> TraceReader.read(plain("plus.trace", "+5\n")))
        .hasMessageContaining("line 1: \"+5\" is not a key");
    assertThatThrownBy(() -> TraceReader.read(plain("arabic.trace", "\u0661\u0662\n")))
        .hasMessageContaining("line 1:");
    assertThatThrownBy(() -> TraceReader.read(plain("minus.trace", "-\n")))
        .hasMessageContaining("line 1: \"-\" is not a key");
  }

  @Test
  void aKeyBeyond64BitsIsReportedAsTooLarge() throws Exception {
    Path file = plain("huge.trace", "1\n99999999999999999999\n");

    assertThatThrownBy(() -> TraceReader.read(file))
        .hasMessage(file + " line 2: \"99999999999999999999\" is too large for a key (keys must"
            + " fit in 64 bits)");
  }

  @Test
  void aMissingFileIsReportedWithItsPath() {
    Path missing = dir.resolve("nowhere").resolve("gli.trace.gz");

    assertThatThrownBy(() -> TraceReader.read(missing))
        .isInstanceOf(TraceException.class)
        .hasMessage("cannot read trace " + missing + ": no such file");
  }

  @Test
  void aDirectoryIsNotATrace() {
    assertThatThrownBy(() -> TraceReader.read(dir))
        .isInstanceOf(TraceException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("is a directory");
  }

  @Test
  void aPlainFileNamedGzIsRefusedWithAnExplanation() throws Exception {
    Path file = plain("plain.trace.gz", "1\n2\n");

    assertThatThrownBy(() -> TraceReader.read(file))
        .isInstanceOf(TraceException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not gzip-compressed");
  }

  @Test
  void truncatedGzipIsReportedAsCorrupt() throws Exception {
    Path whole = gzip("whole.trace.gz", TEXT.repeat(100));
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = Files.write(dir.resolve("cut.trace.gz"),
        java.util.Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> TraceReader.read(cut))
        .isInstanceOf(TraceException.class)
        .hasMessageContaining(cut.toString())
        .hasMessageContaining("corrupt or truncated");
  }

  @Test
  void aTraceWithoutKeysIsRefused() throws Exception {
    Path file = plain("empty.trace", "*\n\n*\n");

    assertThatThrownBy(() -> TraceReader.read(file))
        .isInstanceOf(TraceException.class)
        .hasMessage("trace " + file + " holds no keys");
  }
}
