package dev.cachet.cli.simulate;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The trace layouts {@code cachet simulate} reads, each named as on its command line
 * ({@code --trace-format}). Every format yields a sequence of keys; where a format also carries
 * object sizes, times or operations, they are not read, since the simulator counts entries.
 */
public enum TraceFormat {
  /** Text: one decimal key per line; lines of {@code *} and blank lines skipped. */
  LIRS("lirs", true, "text: one decimal key per line; lines holding only * are skipped",
      LirsParser::new),
  /** Text: {@code START COUNT ...} per line, each request reading COUNT blocks from START. */
  ARC("arc", true, "text: START COUNT [IGNORED REQUEST] per line; COUNT blocks from START",
      ArcParser::new),
  /** Binary: 4-byte big-endian signed integers. */
  CACHE2K("cache2k", false, "binary: 4-byte big-endian integers", Cache2kParser::new),
  /** Binary: 4-byte little-endian unsigned block numbers (the LIRS2 copies). */
  CLOUDPHYSICS("cloudphysics", false, "binary: 4-byte little-endian unsigned block numbers",
      CloudPhysicsParser::new),
  /** Binary: 8-byte big-endian keys. */
  CORDA("corda", false, "binary: 8-byte big-endian keys", CordaParser::new),
  /** Binary: 8-byte big-endian keys. */
  SCARAB("scarab", false, "binary: 8-byte big-endian keys", ScarabParser::new),
  /** Text: libCacheSim's CSV; the key column found by its header name, else column 2. */
  LIBCACHESIM_CSV("libcachesim-csv", true, "text: CSV; key column by header name (obj_id,"
      + " key, id, lbn...), else column 2; sizes ignored", LibCacheSimCsvParser::new),
  /** Binary: libCacheSim's oracleGeneral, 24-byte little-endian records. */
  ORACLE_GENERAL("oracle-general", false, "binary: libCacheSim oracleGeneral, 24-byte"
      + " little-endian records; object ids kept, sizes ignored", OracleGeneralParser::new);

  private final String cliName;
  private final boolean text;
  private final String summary;
  private final Supplier<TraceParser> parser;

  TraceFormat(String cliName, boolean text, String summary, Supplier<TraceParser> parser) {
    this.cliName = cliName;
    this.text = text;
    this.summary = summary;
    this.parser = parser;
  }

  /** The format's name on the command line, such as {@code "oracle-general"}. */
  public String cliName() {
    return cliName;
  }

  /** Whether the format is text (else binary records). */
  public boolean isText() {
    return text;
  }

  /** One line saying what the format's files hold, for the command's help. */
  public String summary() {
    return summary;
  }

  TraceParser parser() {
    return parser.get();
  }

  /**
   * The format named {@code name} on a command line, ignoring case.
   *
   * @throws IllegalArgumentException naming the formats there are, when none is so named
   */
  public static TraceFormat fromCliName(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (TraceFormat f : values()) {
      if (f.cliName.equals(wanted)) {
        return f;
      }
    }
    throw new IllegalArgumentException("'" + name + "' is not a trace format (expected one of "
        + names(f -> true) + ")");
  }

  /** The names of the text formats, separated by commas. */
  public static String textNames() {
    return names(f -> f.text);
  }

  /** The names of the binary formats, separated by commas. */
  public static String binaryNames() {
    return names(f -> !f.text);
  }

  private static String names(Predicate<TraceFormat> which) {
    return Arrays.stream(values()).filter(which).map(TraceFormat::cliName)
        .collect(Collectors.joining(", "));
  }

  /** The command-line name, so help and messages show what the user types. */
  @Override
  public String toString() {
    return cliName;
  }
}
