package dev.cachet.cli.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;

/**
 * The CloudPhysics block traces as redistributed with LIRS2 (w01 to w106): one access per
 * 4-byte little-endian unsigned block number, no header.
 *
 * <p>Little-endian because that is how the files were written: read so, consecutive records
 * hold consecutive block numbers (sequential I/O), as block traces do. For hit ratios the byte
 * order would not matter (swapping bytes maps distinct keys to distinct keys), but keys shown
 * anywhere should be the real block numbers.
 */
final class CloudPhysicsParser implements TraceParser {
  @Override
  public void parse(String shown, InputStream in, KeyBuffer keys)
      throws TraceException, IOException {
    FixedRecords.read(shown, in, keys, TraceFormat.CLOUDPHYSICS, 4,
        "4-byte little-endian unsigned integers, one block number each",
        ByteOrder.LITTLE_ENDIAN, (buffer, at) -> Integer.toUnsignedLong(buffer.getInt(at)));
  }
}
