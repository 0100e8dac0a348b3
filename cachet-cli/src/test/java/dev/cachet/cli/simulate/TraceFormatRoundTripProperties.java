package dev.cachet.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the keys, each format reads back exactly what was written in its layout: the byte
 * order, signedness and record offsets of every binary format, and the text formats' number
 * syntax, hold for all values, not only the few the example tests pick.
 */
class TraceFormatRoundTripProperties {

  private static long[] read(TraceFormat format, byte[] content) throws Exception {
    KeyBuffer keys = new KeyBuffer("prop");
    format.parser().parse("prop", new ByteArrayInputStream(content), keys);
    return keys.toArray();
  }

  @Property(tries = 200)
  void cache2k(@ForAll @Size(min = 1, max = 50) int[] keys) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(keys.length * 4).order(ByteOrder.BIG_ENDIAN);
    for (int k : keys) {
      b.putInt(k);
    }
    long[] expected = Arrays.stream(keys).asLongStream().toArray();

    assertThat(read(TraceFormat.CACHE2K, b.array())).containsExactly(expected);
  }

  @Property(tries = 200)
  void cloudPhysics(@ForAll @Size(min = 1, max = 50) int[] keys) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(keys.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int k : keys) {
      b.putInt(k);
    }
    long[] expected = Arrays.stream(keys).mapToLong(Integer::toUnsignedLong).toArray();

    assertThat(read(TraceFormat.CLOUDPHYSICS, b.array())).containsExactly(expected);
  }

  @Property(tries = 200)
  void cordaAndScarab(@ForAll @Size(min = 1, max = 50) long[] keys) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(keys.length * 8).order(ByteOrder.BIG_ENDIAN);
    for (long k : keys) {
      b.putLong(k);
    }

    assertThat(read(TraceFormat.CORDA, b.array())).containsExactly(keys);
    assertThat(read(TraceFormat.SCARAB, b.array())).containsExactly(keys);
  }

  @Property(tries = 200)
  void oracleGeneral(@ForAll @Size(min = 1, max = 50) long[] keys, @ForAll int time,
      @ForAll int size, @ForAll long next) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(keys.length * 24).order(ByteOrder.LITTLE_ENDIAN);
    for (long k : keys) {
      b.putInt(time).putLong(k).putInt(size).putLong(next);
    }

    assertThat(read(TraceFormat.ORACLE_GENERAL, b.array())).containsExactly(keys);
  }

  @Property(tries = 200)
  void lirs(@ForAll @Size(min = 1, max = 50) long[] keys) throws Exception {
    StringBuilder text = new StringBuilder();
    for (long k : keys) {
      text.append(k).append(k % 3 == 0 ? "\n*\n" : "\r\n");
    }

    assertThat(read(TraceFormat.LIRS, text.toString().getBytes(StandardCharsets.UTF_8)))
        .containsExactly(keys);
  }

  @Property(tries = 200)
  void arcOneBlockPerRequest(@ForAll @Size(min = 1, max = 50) long[] keys,
      @ForAll @IntRange(min = 0, max = 3) int spaces) throws Exception {
    StringBuilder text = new StringBuilder();
    long[] expected = Arrays.stream(keys).map(Math::abs).map(k -> k < 0 ? 0 : k)
        .toArray();
    for (long k : expected) {
      text.append(" ".repeat(spaces)).append(k).append(" 1 0 ").append(k).append('\n');
    }

    assertThat(read(TraceFormat.ARC, text.toString().getBytes(StandardCharsets.UTF_8)))
        .containsExactly(expected);
  }

  @Property(tries = 200)
  void libCacheSimCsvWithHeader(@ForAll @Size(min = 1, max = 50) long[] keys) throws Exception {
    StringBuilder text = new StringBuilder("time,obj_id,obj_size\n");
    for (long k : keys) {
      text.append("17,").append(Long.toUnsignedString(k)).append(",4096\n");
    }

    assertThat(read(TraceFormat.LIBCACHESIM_CSV, text.toString()
        .getBytes(StandardCharsets.UTF_8))).containsExactly(keys);
  }
}
