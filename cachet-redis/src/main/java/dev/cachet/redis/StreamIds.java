package dev.cachet.redis;

/** Redis stream entry ids ({@code <millis>-<sequence>}), compared as the server orders them. */
final class StreamIds {
  /** Before every id: the position of a reader that has seen an empty or absent stream. */
  static final String ZERO = "0-0";

  private StreamIds() {
  }

  /** Negative, zero or positive as {@code a} is before, equal to or after {@code b}. */
  static int compare(String a, String b) {
    int c = Long.compareUnsigned(millis(a), millis(b));
    return c != 0 ? c : Long.compareUnsigned(sequence(a), sequence(b));
  }

  /** The later of two ids. */
  static String max(String a, String b) {
    return compare(a, b) >= 0 ? a : b;
  }

  private static long millis(String id) {
    int dash = id.indexOf('-');
    return Long.parseUnsignedLong(dash < 0 ? id : id.substring(0, dash));
  }

  private static long sequence(String id) {
    int dash = id.indexOf('-');
    return dash < 0 ? 0 : Long.parseUnsignedLong(id.substring(dash + 1));
  }
}
