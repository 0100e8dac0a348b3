package dev.cachet.llm.proxy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The parameters of a raw query string, decoded, in the order sent. */
final class QueryString {
  private QueryString() {
  }

  /**
   * Splits {@code a=1&b=2} into its parameters. A parameter without {@code =} has the empty
   * value; a malformed percent escape is kept as sent rather than refused, since the upstream
   * judges the query, not the proxy.
   *
   * @param raw the raw query, without {@code ?}; null or empty for none
   */
  static List<Map.Entry<String, String>> parse(String raw) {
    List<Map.Entry<String, String>> parameters = new ArrayList<>();
    if (raw == null || raw.isEmpty()) {
      return parameters;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      parameters.add(Map.entry(decode(name), decode(value)));
    }
    return parameters;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }
}
