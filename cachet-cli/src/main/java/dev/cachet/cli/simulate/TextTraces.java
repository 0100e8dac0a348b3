package dev.cachet.cli.simulate;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** What the text formats' parsers share: how lines are read and how a bad line is shown. */
final class TextTraces {
  /** Long enough to recognize a bad line, short enough not to flood the terminal with binary. */
  private static final int MAX_SHOWN = 40;

  private TextTraces() {
  }

  /** A line reader over {@code in}; undecodable bytes become U+FFFD rather than an error. */
  static BufferedReader lines(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  /** {@code text} in quotes, cut short when long. */
  static String quote(String text) {
    String s = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "..." : text;
    return "\"" + s.replaceAll("\\p{Cntrl}", "?") + "\"";
  }

  /**
   * Whether {@code line} holds bytes no text trace has (NUL, other control characters, or
   * undecodable bytes): the sign of a binary trace read with a text format.
   */
  static boolean looksBinary(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\uFFFD' || (c < 0x20 && c != '\t')) {
        return true;
      }
    }
    return false;
  }

  /** Appended to a bad line's message when the line looks binary. */
  static String binaryHint(TraceFormat format) {
    return "; the file looks binary, not " + format.cliName() + " text: if it is a binary"
        + " trace, name its format with --trace-format (" + TraceFormat.binaryNames() + ")";
  }
}
