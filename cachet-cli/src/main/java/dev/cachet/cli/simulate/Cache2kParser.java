package dev.cachet.cli.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;

/**
 * The cache2k benchmark traces (Jens Wilke's cache2k-benchmark project): one access per 4-byte
 * big-endian signed integer, no header. The published files hold small integers counting up
 * from 0 as new objects appear.
 */
final class Cache2kParser implements TraceParser {
  @Override
  public void parse(String shown, InputStream in, KeyBuffer keys)
      throws TraceException, IOException {
    FixedRecords.read(shown, in, keys, TraceFormat.CACHE2K, 4, "4-byte big-endian signed integers, one key each",
        ByteOrder.BIG_ENDIAN, (buffer, at) -> buffer.getInt(at));
  }
}
