package dev.cachet.cli.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;

/**
 * The traces R3 published of Corda's vault service: one access per 8-byte big-endian key (a
 * hash of the cached object), no header.
 */
final class CordaParser implements TraceParser {
  @Override
  public void parse(String shown, InputStream in, KeyBuffer keys)
      throws TraceException, IOException {
    FixedRecords.read(shown, in, keys, TraceFormat.CORDA, 8, "8-byte big-endian integers, one key each",
        ByteOrder.BIG_ENDIAN, (buffer, at) -> buffer.getLong(at));
  }
}
