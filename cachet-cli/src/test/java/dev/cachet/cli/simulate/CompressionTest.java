package dev.cachet.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Compressed traces are recognized by their content and read whatever their name. */
class CompressionTest {
  private static final String TEXT = "1\n2\n*\n3\n1\n";
  private static final long[] KEYS = {1, 2, 3, 1};

  @TempDir
  Path dir;

  /** {@code content} compressed as {@code compression}, by that codec's own library. */
  static byte[] compress(Compression compression, byte[] content) throws IOException {
    var bytes = new java.io.ByteArrayOutputStream();
    try (OutputStream out = switch (compression) {
      case NONE -> bytes;
      case GZIP -> new GZIPOutputStream(bytes);
      case XZ -> new XZOutputStream(bytes, new LZMA2Options());
      case ZSTD -> new ZstdOutputStream(bytes);
      case BZIP2 -> new BZip2CompressorOutputStream(bytes);
    }) {
      out.write(content);
    }
    return bytes.toByteArray();
  }

  private Path file(String name, Compression compression, String content) throws IOException {
    return Files.write(dir.resolve(name),
        compress(compression, content.getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void eachCompressionIsDetectedByItsMagicBytes(Compression compression) throws Exception {
    byte[] compressed = compress(compression, TEXT.getBytes(StandardCharsets.UTF_8));

    assertThat(Compression.detect(Arrays.copyOf(compressed, Compression.MAGIC_LENGTH)))
        .isEqualTo(compression);
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void eachCompressionIsReadWhateverTheFileIsCalled(Compression compression) throws Exception {
    Path usual = file("small" + compression.suffix(), compression, TEXT);
    Path plain = file("small.trace", compression, TEXT);

    assertThat(TraceReader.read(usual).keys()).containsExactly(KEYS);
    assertThat(TraceReader.read(plain).keys()).containsExactly(KEYS);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void binaryTracesAreDecompressedToo(Compression compression) throws Exception {
    byte[] records = {0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 5};
    Path file = Files.write(dir.resolve("web07.trace"), compress(compression, records));

    assertThat(TraceReader.read(file, TraceFormat.CACHE2K).keys()).containsExactly(5, 6, 5);
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void truncatedDataIsReportedAsCorruptNamingTheCompression(Compression compression)
      throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      text.append(i * 7919 % 100_003).append('\n');
    }
    byte[] whole = compress(compression, text.toString().getBytes(StandardCharsets.UTF_8));
    Path cut = Files.write(dir.resolve("cut.trace"), Arrays.copyOf(whole, whole.length / 2));

    assertThatThrownBy(() -> TraceReader.read(cut))
        .isInstanceOf(TraceException.class)
        .hasMessageStartingWith("cannot read trace " + cut + ": the "
            + compression.displayName() + " data is corrupt or truncated (")
        .hasMessageNotContaining("(null)");
  }

  @Test
  void aNameThatClaimsAnotherCompressionIsRefused() throws Exception {
    Path xzNamedGz = file("small.trace.gz", Compression.XZ, TEXT);
    Path plainNamedZst = file("small.trace.zst", Compression.NONE, TEXT);

    assertThatThrownBy(() -> TraceReader.read(xzNamedGz))
        .hasMessage("cannot read trace " + xzNamedGz + ": its name ends in .gz but it is not"
            + " gzip-compressed (its content is xz-compressed); rename it to match its content");
    assertThatThrownBy(() -> TraceReader.read(plainNamedZst))
        .hasMessageContaining("its name ends in .zst but it is not zstd-compressed (it is not"
            + " compressed)");
  }

  @Test
  void textThatStartsLikeBzip2IsNotTakenForIt() {
    byte[] head = "BZh, a word".getBytes(StandardCharsets.US_ASCII);

    assertThat(Compression.detect(Arrays.copyOf(head, Compression.MAGIC_LENGTH)))
        .isEqualTo(Compression.NONE);
    assertThat(Compression.detect(new byte[] {0x1f})).isEqualTo(Compression.NONE);
  }

  /**
   * Loads the reader in a class loader that has cachet-cli's classes but none of the codec
   * libraries, as in a class path trimmed by hand: an xz file must fail with a message naming
   * the missing library, while gzip, from the JDK, still reads.
   */
  @Test
  void aMissingCodecLibraryIsNamedAndTheOtherCompressionsStillRead() throws Exception {
    URL classes = TraceReader.class.getProtectionDomain().getCodeSource().getLocation();
    Path xz = file("small.trace.xz", Compression.XZ, TEXT);
    Path gz = file("small.trace.gz", Compression.GZIP, TEXT);
    try (URLClassLoader trimmed =
        new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
      Class<?> reader = Class.forName(TraceReader.class.getName(), true, trimmed);
      Class<?> format = Class.forName(TraceFormat.class.getName(), true, trimmed);
      Method read = reader.getMethod("read", Path.class, format);
      Object lirs = format.getField("LIRS").get(null);

      assertThat(read.invoke(null, gz, lirs)).hasToString("Trace[small.trace.gz, 4 accesses]");
      assertThatThrownBy(() -> read.invoke(null, xz, lirs))
          .isInstanceOf(InvocationTargetException.class)
          .extracting(Throwable::getCause)
          .satisfies(e -> assertThat(e.getClass().getName())
              .isEqualTo(TraceException.class.getName()))
          .extracting(Throwable::getMessage).asString()
          .startsWith("cannot read trace " + xz + ": it is xz-compressed, but the xz codec"
              + " (org.tukaani:xz) is not available: java.lang.NoClassDefFoundError:")
          .endsWith("Decompress it first (xz -dk " + xz + ") and pass the result");
    }
  }
}
