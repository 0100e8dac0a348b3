package dev.cachet.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibCacheSimCsvParserTest {
  @TempDir
  Path dir;

  private Path csv(String content) throws IOException {
    return Files.writeString(dir.resolve("trace.csv"), content);
  }

  private long[] keys(String content) throws Exception {
    return TraceReader.read(csv(content), TraceFormat.LIBCACHESIM_CSV).keys();
  }

  @Test
  void theKeyColumnIsFoundByItsHeaderName() throws Exception {
    // The layout of libCacheSim's data/cloudPhysicsIO.csv: the block number is "lbn".
    String content = "version,time,op,size,lbn\n"
        + "1,5633898,2a,512,42932745\n"
        + "1,5633898,2a,512,42932746\n"
        + "1,5633899,28,6656,42932745\n";

    assertThat(keys(content)).containsExactly(42932745, 42932746, 42932745);
  }

  @Test
  void headerNamesAreComparedIgnoringCaseAndQuotes() throws Exception {
    assertThat(keys("\"Time\",\"OBJ_ID\",\"Size\"\n1,7,10\n2,8,10\n")).containsExactly(7, 8);
  }

  @Test
  void withoutAHeaderTheKeyIsTheSecondColumn() throws Exception {
    assertThat(keys("0,17,512\n1,18,512\n\n2,17,512\n")).containsExactly(17, 18, 17);
  }

  @Test
  void stringKeysAreHashedConsistentlyAndTabsOrPipesMayDelimit() throws Exception {
    // The Twitter traces' layout: timestamp, anonymized key, sizes..., no header.
    long[] keys = keys("0\tq:abc\t19\n1\tq:def\t19\n2\tq:abc\t19\n");

    assertThat(keys).hasSize(3);
    assertThat(keys[0]).isEqualTo(keys[2]).isNotEqualTo(keys[1])
        .isEqualTo(LibCacheSimCsvParser.hash("q:abc"));
    assertThat(keys("t|id\n1|5\n")).containsExactly(5);
  }

  @Test
  void unsignedSixtyFourBitIdsAreKept() throws Exception {
    assertThat(keys("time,obj_id\n1,18446744073709551615\n")).containsExactly(-1L);
  }

  @Test
  void aHeaderWithoutAKeyColumnSaysWhichNamesAreAccepted() throws Exception {
    Path file = csv("time,object,size\n1,2,3\n");

    assertThatThrownBy(() -> TraceReader.read(file, TraceFormat.LIBCACHESIM_CSV))
        .isInstanceOf(TraceException.class)
        .hasMessageStartingWith(file + " line 1: the header \"time,object,size\" names no key"
            + " column;")
        .hasMessageContaining("obj_id, obj-id, objid, object_id, key, id, lbn, lba, block")
        .hasMessageContaining("Rename the key's column");
  }

  @Test
  void aShortRowNamesItsLineAndTheKeyColumn() throws Exception {
    Path file = csv("time,size,obj_id\n1,512,7\n2,512\n");

    assertThatThrownBy(() -> TraceReader.read(file, TraceFormat.LIBCACHESIM_CSV))
        .hasMessage(file + " line 3: \"2,512\" has 2 fields separated by commas, but the key is"
            + " in column 3")
        .satisfies(e -> assertThat(((TraceException) e).line()).isEqualTo(3));
  }

  @Test
  void anEmptyKeyIsReported() throws Exception {
    Path file = csv("1,,3\n");

    assertThatThrownBy(() -> TraceReader.read(file, TraceFormat.LIBCACHESIM_CSV))
        .hasMessage(file + " line 1: column 2, the key, is empty in \"1,,3\"");
  }

  @Test
  void aHeaderAloneHoldsNoKeys() throws Exception {
    Path file = csv("time,obj_id,size\n");

    assertThatThrownBy(() -> TraceReader.read(file, TraceFormat.LIBCACHESIM_CSV))
        .hasMessage("trace " + file + " holds no keys");
  }
}
