package dev.cachet.cli.simulate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;

/**
 * The LIRS text format (Jiang and Zhang's traces, the ones in the repository's {@code traces/}):
 * one decimal integer key per line; a line holding only {@code *} (a breakpoint marker) and
 * blank lines are skipped.
 */
final class LirsParser implements TraceParser {
  @Override
  public void parse(String shown, InputStream in, KeyBuffer keys)
      throws TraceException, IOException {
    BufferedReader reader = TextTraces.lines(in);
    long lineNumber = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      String text = line.strip();
      if (text.isEmpty() || text.equals("*")) {
        continue;
      }
      keys.add(parseKey(shown, lineNumber, text));
    }
  }

  private static long parseKey(String shown, long lineNumber, String text)
      throws TraceException {
    // Long.parseLong alone would also accept '+' and non-ASCII digits; the format has neither.
    int start = text.charAt(0) == '-' ? 1 : 0;
    boolean digits = text.length() > start;
    for (int i = start; i < text.length() && digits; i++) {
      char c = text.charAt(i);
      digits = c >= '0' && c <= '9';
    }
    if (digits) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException tooLarge) {
        throw new TraceException(shown, lineNumber, shown + " line " + lineNumber + ": "
            + TextTraces.quote(text) + " is too large for a key (keys must fit in 64 bits)",
            null);
      }
    }
    String hint = TextTraces.looksBinary(text) ? TextTraces.binaryHint(TraceFormat.LIRS) : "";
    throw new TraceException(shown, lineNumber, shown + " line " + lineNumber + ": "
        + TextTraces.quote(text) + " is not a key (expected a decimal integer, or * for a"
        + " breakpoint)" + hint, null);
  }
}
