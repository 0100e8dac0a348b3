package dev.cachet.cli.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;

/**
 * The recommendation-service traces Scarab Research published: one access per 8-byte big-endian
 * key (an anonymized item id), no header. The same layout as {@link CordaParser}; a format of
 * its own so the help can name the traces people have.
 */
final class ScarabParser implements TraceParser {
  @Override
  public void parse(String shown, InputStream in, KeyBuffer keys)
      throws TraceException, IOException {
    FixedRecords.read(shown, in, keys, TraceFormat.SCARAB, 8, "8-byte big-endian integers, one key each",
        ByteOrder.BIG_ENDIAN, (buffer, at) -> buffer.getLong(at));
  }
}
