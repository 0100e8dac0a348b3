package dev.cachet.cli.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads a binary trace made of fixed-size records, one access each, with no header: the layout
 * of every binary format {@code cachet simulate} knows. Two mistakes are common with such files
 * and are reported as such: a text trace read with a binary format, and a file whose length is
 * not a whole number of records (truncated, or of another format).
 */
final class FixedRecords {
  /**
   * How many leading bytes decide whether a "binary" trace is really text: binary records
   * almost always hold a zero or a byte above 0x7f within 64 bytes, text never does.
   */
  private static final int TEXT_PROBE = 64;

  /** Extracts the key from one record. */
  @FunctionalInterface
  interface KeyField {
    /**
     * The key of the record at {@code offset} in {@code buffer}, whose byte order is the
     * format's.
     */
    long key(ByteBuffer buffer, int offset);
  }

  private FixedRecords() {
  }

  /**
   * Reads records of {@code recordSize} bytes from {@code in} to its end.
   *
   * @param shown the file as the user named it
   * @param format the format, for messages
   * @param layout the record layout in words, such as "4-byte big-endian integers"
   */
  static void read(String shown, InputStream in, KeyBuffer keys, TraceFormat format,
      int recordSize, String layout, ByteOrder order, KeyField field)
      throws TraceException, IOException {
    // A whole number of records per chunk, so no record straddles two reads.
    byte[] chunk = new byte[recordSize * Math.max(1, (1 << 16) / recordSize)];
    ByteBuffer buffer = ByteBuffer.wrap(chunk).order(order);
    long offset = 0;
    boolean first = true;
    int filled;
    while ((filled = in.readNBytes(chunk, 0, chunk.length)) > 0) {
      if (first) {
        refuseText(shown, chunk, filled, format, layout);
        first = false;
      }
      int whole = filled - filled % recordSize;
      for (int at = 0; at < whole; at += recordSize) {
        keys.add(field.key(buffer, at));
      }
      if (whole < filled) {
        // readNBytes fills the chunk unless the stream ended: this is the file's tail.
        long recordStart = offset + whole;
        throw new TraceException(shown, 0, shown + ": ends with a partial record at byte offset "
            + recordStart + " (" + (filled - whole) + " of " + recordSize + " bytes): the "
            + format.cliName() + " format is " + layout + ", so a whole file is a multiple of "
            + recordSize + " bytes. The file is truncated, or in another format; check"
            + " --trace-format", null);
      }
      offset += filled;
    }
  }

  private static void refuseText(String shown, byte[] head, int length, TraceFormat format,
      String layout) throws TraceException {
    int probe = Math.min(length, TEXT_PROBE);
    boolean newline = false;
    for (int i = 0; i < probe; i++) {
      int b = head[i];
      boolean printable = (b >= 0x20 && b < 0x7f) || b == '\t' || b == '\r' || b == '\n';
      if (!printable) {
        return;
      }
      newline |= b == '\n';
    }
    // A short file proves little either way, unless it has a line break.
    if (newline || probe >= 16) {
      String start = new String(head, 0, Math.min(probe, 20), StandardCharsets.US_ASCII)
          .replace("\r", "\\r").replace("\n", "\\n");
      throw new TraceException(shown, 0, shown + ": looks like a text trace (it begins \""
          + start + "\"), but the " + format.cliName() + " format is binary, " + layout
          + "; for text use --trace-format " + TraceFormat.textNames(), null);
    }
  }
}
