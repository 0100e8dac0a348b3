package dev.cachet.cli.simulate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * CSV traces as libCacheSim's {@code csv} reader takes them, such as its
 * {@code data/cloudPhysicsIO.csv} ({@code version,time,op,size,lbn}) or the Twitter cluster
 * traces ({@code timestamp,key,key size,value size,...}, no header): one request per row.
 *
 * <p>libCacheSim is told the object id's column on its command line; {@code cachet simulate}
 * finds it instead. When the first row is a header (see {@code isHeader}), the key is the column
 * named one of {@link #KEY_NAMES}; without a header, it is the second column, where the Twitter traces and
 * libCacheSim's examples keep it. The delimiter is the one of {@code , \t | ;} found most often
 * in the first row. Keys that are integers are used as they are (unsigned 64-bit ones too);
 * other keys, such as the Twitter traces' anonymized strings, are hashed to 64 bits, as
 * libCacheSim does with {@code obj-id-is-num=false}. Other columns (time, size, operation) are
 * not read: the simulator counts entries, not bytes.
 */
final class LibCacheSimCsvParser implements TraceParser {
  /** Header names that mark the key column, compared ignoring case. */
  static final List<String> KEY_NAMES = List.of("obj_id", "obj-id", "objid", "object_id",
      "key", "id", "lbn", "lba", "block");
  /** The key's column (zero-based) when the file has no header. */
  private static final int HEADERLESS_KEY_COLUMN = 1;
  private static final String DELIMITERS = ",\t|;";
  private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d*)?([eE][-+]?\\d+)?");
  private static final Pattern INTEGER = Pattern.compile("\\d+");

  @Override
  public void parse(String shown, InputStream in, KeyBuffer keys)
      throws TraceException, IOException {
    BufferedReader reader = TextTraces.lines(in);
    String first = reader.readLine();
    if (first == null) {
      return;
    }
    String second = reader.readLine();
    char delimiter = delimiter(first);
    List<String> firstFields = split(first, delimiter);
    int column;
    if (isHeader(firstFields, second == null ? null : split(second, delimiter))) {
      column = keyColumn(shown, first, firstFields);
    } else {
      column = HEADERLESS_KEY_COLUMN;
      keys.add(key(shown, 1, first, firstFields, column, delimiter));
    }
    long lineNumber = 1;
    String line = second;
    while (line != null) {
      lineNumber++;
      if (!line.isBlank()) {
        keys.add(key(shown, lineNumber, line, split(line, delimiter), column, delimiter));
      }
      line = reader.readLine();
    }
  }

  private static char delimiter(String firstLine) {
    char best = ',';
    long bestCount = 0;
    for (char d : DELIMITERS.toCharArray()) {
      long count = firstLine.chars().filter(c -> c == d).count();
      if (count > bestCount) {
        best = d;
        bestCount = count;
      }
    }
    return best;
  }

  /** Fields without surrounding blanks and quotes; quoted delimiters are not supported. */
  private static List<String> split(String line, char delimiter) {
    List<String> fields = new ArrayList<>();
    int from = 0;
    while (true) {
      int to = line.indexOf(delimiter, from);
      String field = (to < 0 ? line.substring(from) : line.substring(from, to)).strip();
      if (field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")) {
        field = field.substring(1, field.length() - 1);
      }
      fields.add(field);
      if (to < 0) {
        return fields;
      }
      from = to + 1;
    }
  }

  /**
   * Whether the first row is a header: it names the key column, or it has a word where the
   * second row has a number (a header's "time" above a timestamp). A word above a word is data:
   * the Twitter traces' keys are strings in every row.
   */
  private static boolean isHeader(List<String> first, List<String> second) {
    if (first.stream().anyMatch(f -> KEY_NAMES.contains(f.toLowerCase(Locale.ROOT)))) {
      return true;
    }
    for (int i = 0; i < first.size(); i++) {
      boolean word = !first.get(i).isEmpty() && !NUMBER.matcher(first.get(i)).matches();
      boolean numberBelow = second == null
          || (i < second.size() && NUMBER.matcher(second.get(i)).matches());
      if (word && numberBelow) {
        return true;
      }
    }
    return false;
  }

  private static int keyColumn(String shown, String header, List<String> names)
      throws TraceException {
    for (String wanted : KEY_NAMES) {
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).toLowerCase(Locale.ROOT).equals(wanted)) {
          return i;
        }
      }
    }
    throw new TraceException(shown, 1, shown + " line 1: the header " + TextTraces.quote(header)
        + " names no key column; the libcachesim-csv format takes the key from the column"
        + " named one of " + String.join(", ", KEY_NAMES) + " (or, in a file without a header,"
        + " from the second column). Rename the key's column in the header", null);
  }

  private static long key(String shown, long lineNumber, String line, List<String> fields,
      int column, char delimiter) throws TraceException {
    if (column >= fields.size()) {
      String hint = TextTraces.looksBinary(line)
          ? TextTraces.binaryHint(TraceFormat.LIBCACHESIM_CSV) : "";
      throw new TraceException(shown, lineNumber, shown + " line " + lineNumber + ": "
          + TextTraces.quote(line) + " has " + fields.size() + " field"
          + (fields.size() == 1 ? "" : "s") + " separated by " + describe(delimiter)
          + ", but the key is in column " + (column + 1) + hint, null);
    }
    String key = fields.get(column);
    if (key.isEmpty()) {
      throw new TraceException(shown, lineNumber, shown + " line " + lineNumber + ": column "
          + (column + 1) + ", the key, is empty in " + TextTraces.quote(line), null);
    }
    if (INTEGER.matcher(key).matches() && key.length() <= 20) {
      try {
        return Long.parseUnsignedLong(key);
      } catch (NumberFormatException beyond64Bits) {
        // Hashed below, like any other key that is not a 64-bit number.
      }
    }
    return hash(key);
  }

  private static String describe(char delimiter) {
    return switch (delimiter) {
      case '\t' -> "tabs";
      case '|' -> "'|'";
      case ';' -> "';'";
      default -> "commas";
    };
  }

  /**
   * A 64-bit hash of a key that is not a number: FNV-1a over its UTF-8 bytes, then a
   * SplitMix64 finalizer to spread FNV's weak low bits. With 64 bits, a trace of ten million
   * distinct keys has about one chance in a hundred thousand of any collision.
   */
  static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
