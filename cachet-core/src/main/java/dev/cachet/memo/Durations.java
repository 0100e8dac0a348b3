package dev.cachet.memo;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the short durations used in annotations: {@code 500ms}, {@code 5s}, {@code 10m}, {@code 2h}, {@code 1d}, or ISO-8601. */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)");

  private Durations() {
  }

  /**
   * Parses {@code text}.
   *
   * @param what the setting's name, for the error message
   * @throws IllegalArgumentException naming the setting, the text and the accepted forms
   */
  public static Duration parse(String what, String text) {
    String t = text.trim();
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "ns" -> Duration.ofNanos(n);
        case "us" -> Duration.ofNanos(n * 1_000);
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return positive(what, text, d);
    }
    try {
      return positive(what, text, Duration.parse(t));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(what + " = \"" + text + "\" is not a duration. Write"
          + " a number and a unit (500ms, 5s, 10m, 2h, 1d) or ISO-8601 (PT5S).");
    }
  }

  private static Duration positive(String what, String text, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " = \"" + text + "\" must be longer than zero.");
    }
    return d;
  }
}
