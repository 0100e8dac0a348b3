package dev.cachet.cli;

import java.util.List;

/**
 * The little JSON writing the store commands need: their output shapes are fixed and flat, so
 * a string escaper beats adding a JSON library to the command line's jar.
 */
final class Json {
  private Json() {
  }

  /**
   * A JSON string literal, or {@code null}.
   *
   * @param s the text, or null
   * @return the quoted, escaped text
   */
  static String str(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * A JSON array of strings.
   *
   * @param values the strings
   * @return the array literal
   */
  static String strs(List<String> values) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(str(values.get(i)));
    }
    return b.append(']').toString();
  }
}
