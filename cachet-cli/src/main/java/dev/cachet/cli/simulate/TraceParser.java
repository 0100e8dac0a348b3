package dev.cachet.cli.simulate;

import java.io.IOException;
import java.io.InputStream;

/**
 * Turns the bytes of one trace format, already decompressed, into keys. One implementation per
 * format; {@link TraceReader} opens the file, undoes any compression and reports I/O failures.
 */
interface TraceParser {
  /**
   * Reads {@code in} to its end (without closing it) and adds each access's key to
   * {@code keys}.
   *
   * @param shown the trace file as the user named it, for error messages
   * @throws TraceException when the content is not in this format; the message names the file
   *     and where in it (line, or byte offset for binary formats) the problem is
   * @throws IOException when reading fails
   */
  void parse(String shown, InputStream in, KeyBuffer keys) throws TraceException, IOException;
}
