package dev.cachet.cli.simulate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;

/**
 * The text format of the traces Megiddo and Modha published with ARC (such as {@code P1.lis},
 * {@code OLTP.lis}): one request per line, written as whitespace-separated decimal fields
 *
 * <pre>
 * START COUNT IGNORED REQUEST      for example: 2048 8 0 1
 * </pre>
 *
 * <p>where the request reads the {@code COUNT} consecutive blocks from {@code START}; each block
 * is one access. The last two fields carry nothing the simulator uses and may be missing.
 */
final class ArcParser implements TraceParser {
  private static final String EXPECTED = "expected START COUNT [IGNORED REQUEST]: a starting"
      + " block and a block count, as decimal integers, such as \"2048 8 0 1\"";

  @Override
  public void parse(String shown, InputStream in, KeyBuffer keys)
      throws TraceException, IOException {
    BufferedReader reader = TextTraces.lines(in);
    long lineNumber = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      String text = line.strip();
      if (text.isEmpty()) {
        continue;
      }
      String[] fields = text.split("\\s+", 3);
      if (fields.length < 2) {
        throw bad(shown, lineNumber, text, "has one field; " + EXPECTED);
      }
      long start = number(shown, lineNumber, text, fields[0], "starting block");
      long count = number(shown, lineNumber, text, fields[1], "block count");
      if (start < 0 || count < 0) {
        throw bad(shown, lineNumber, text, "has a negative " + (start < 0 ? "starting block"
            : "block count") + "; " + EXPECTED);
      }
      if (count > KeyBuffer.MAX_KEYS - keys.size()) {
        // Refused up front: adding the blocks one by one would exhaust the heap first.
        throw bad(shown, lineNumber, text, "asks for " + count + " blocks, more accesses than"
            + " the simulator can hold (" + KeyBuffer.MAX_KEYS + " in all)");
      }
      if (count > 0 && start > Long.MAX_VALUE - (count - 1)) {
        throw bad(shown, lineNumber, text, "runs past the largest 64-bit block number");
      }
      // Counted from 0 rather than to start + count, which overflows for the last blocks.
      for (long i = 0; i < count; i++) {
        keys.add(start + i);
      }
    }
  }

  private static long number(String shown, long lineNumber, String text, String field,
      String what) throws TraceException {
    boolean digits = !field.isEmpty();
    for (int i = field.charAt(0) == '-' ? 1 : 0; i < field.length() && digits; i++) {
      digits = field.charAt(i) >= '0' && field.charAt(i) <= '9';
    }
    if (digits && !field.equals("-")) {
      try {
        return Long.parseLong(field);
      } catch (NumberFormatException tooLarge) {
        throw bad(shown, lineNumber, text, "has a " + what + " too large for 64 bits");
      }
    }
    throw bad(shown, lineNumber, text, "has " + TextTraces.quote(field) + " for its " + what
        + "; " + EXPECTED);
  }

  private static TraceException bad(String shown, long lineNumber, String text, String why) {
    String hint = TextTraces.looksBinary(text) ? TextTraces.binaryHint(TraceFormat.ARC) : "";
    return new TraceException(shown, lineNumber, shown + " line " + lineNumber + ": "
        + TextTraces.quote(text) + " " + why + hint, null);
  }
}
