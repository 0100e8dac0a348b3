package dev.cachet.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binary formats, each from a file laid out byte by byte as its publishers write them. */
class BinaryTraceFormatsTest {
  @TempDir
  Path dir;

  private Path write(String name, ByteBuffer content) throws IOException {
    return Files.write(dir.resolve(name), Arrays.copyOf(content.array(), content.position()));
  }

  @Test
  void cache2kIsBigEndianSignedInts() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
    b.putInt(0).putInt(1).putInt(0).putInt(-7);

    Trace trace = TraceReader.read(write("web07.trace", b), TraceFormat.CACHE2K);

    assertThat(trace.keys()).containsExactly(0, 1, 0, -7);
  }

  @Test
  void cloudPhysicsIsLittleEndianUnsignedInts() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(904906).putInt(904907).putInt(0xFFFF_FFFE);

    Trace trace = TraceReader.read(write("w106.trace", b), TraceFormat.CLOUDPHYSICS);

    assertThat(trace.keys()).containsExactly(904906, 904907, 0xFFFF_FFFEL);
  }

  @Test
  void cordaAndScarabAreBigEndianLongs() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
    b.putLong(0x391c8ee0c57542c7L).putLong(Long.MIN_VALUE).putLong(0x391c8ee0c57542c7L);
    long[] expected = {0x391c8ee0c57542c7L, Long.MIN_VALUE, 0x391c8ee0c57542c7L};

    assertThat(TraceReader.read(write("vault.trace", b), TraceFormat.CORDA).keys())
        .containsExactly(expected);
    assertThat(TraceReader.read(write("recs.trace", b), TraceFormat.SCARAB).keys())
        .containsExactly(expected);
  }

  @Test
  void oracleGeneralKeepsTheObjectIdOfEach24ByteLittleEndianRecord() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(24 * 3).order(ByteOrder.LITTLE_ENDIAN);
    // timestamp, object id, object size, next access (virtual time, -1 for never)
    b.putInt(5633898).putLong(42932745L).putInt(512).putLong(2);
    b.putInt(5633898).putLong(0xFFFF_FFFF_FFFF_FFFFL).putInt(0).putLong(-1);
    b.putInt(5633899).putLong(42932745L).putInt(6656).putLong(-1);

    Trace trace = TraceReader.read(write("io.oracleGeneral.bin", b), TraceFormat.ORACLE_GENERAL);

    assertThat(trace.keys()).containsExactly(42932745L, -1L, 42932745L);
    assertThat(trace.distinctKeys()).isEqualTo(2);
  }

  @Test
  void aPartialLastRecordIsReportedWithItsOffsetAndTheRecordLayout() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(24 * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(1).putLong(7).putInt(1).putLong(-1);
    b.putInt(2).putLong(8).putInt(1);
    Path file = write("cut.oracleGeneral.bin", b);

    assertThatThrownBy(() -> TraceReader.read(file, TraceFormat.ORACLE_GENERAL))
        .isInstanceOf(TraceException.class)
        .hasMessage(file + ": ends with a partial record at byte offset 24 (16 of 24 bytes):"
            + " the oracle-general format is 24-byte little-endian records (uint32 timestamp,"
            + " uint64 object id, uint32 object size, int64 next access time), so a whole file"
            + " is a multiple of 24 bytes. The file is truncated, or in another format; check"
            + " --trace-format");
  }

  @Test
  void aPartialRecordBeyondTheFirstChunkHasItsTrueOffset() throws Exception {
    int records = 40_000; // 160,000 bytes: the partial record lies past the first read
    ByteBuffer b = ByteBuffer.allocate(records * 4 + 3).order(ByteOrder.BIG_ENDIAN);
    for (int i = 0; i < records; i++) {
      b.putInt(i % 100);
    }
    b.put((byte) 1).put((byte) 2).put((byte) 3);
    Path file = write("cut.trace", b);

    assertThatThrownBy(() -> TraceReader.read(file, TraceFormat.CACHE2K))
        .hasMessageStartingWith(file + ": ends with a partial record at byte offset 160000 (3 of"
            + " 4 bytes)");
  }

  @Test
  void aTextTraceReadWithABinaryFormatIsRecognizedAsText() throws Exception {
    Path file = Files.writeString(dir.resolve("gli.trace"), "1\n2\n3\n4\n");

    assertThatThrownBy(() -> TraceReader.read(file, TraceFormat.CORDA))
        .isInstanceOf(TraceException.class)
        .hasMessage(file + ": looks like a text trace (it begins \"1\\n2\\n3\\n4\\n\"), but the"
            + " corda format is binary, 8-byte big-endian integers, one key each; for text use"
            + " --trace-format lirs, arc, libcachesim-csv");
  }

  @Test
  void aCsvReadAsOracleGeneralIsRecognizedAsText() throws Exception {
    Path file = Files.writeString(dir.resolve("io.csv"),
        "version,time,op,size,lbn\n1,5633898,2a,512,42932745\n");

    assertThatThrownBy(() -> TraceReader.read(file, TraceFormat.ORACLE_GENERAL))
        .hasMessageContaining("looks like a text trace (it begins \"version,time,op,size\")");
  }

  @Test
  void anEmptyBinaryTraceHoldsNoKeys() throws Exception {
    Path file = Files.write(dir.resolve("empty.bin"), new byte[0]);

    assertThatThrownBy(() -> TraceReader.read(file, TraceFormat.SCARAB))
        .hasMessage("trace " + file + " holds no keys");
  }
}
