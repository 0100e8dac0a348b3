package dev.cachet.cli;

import dev.cachet.codec.EntryFrame;
import dev.cachet.disk.DiskStore;
import dev.cachet.disk.EntryInfo;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cachet inspect DIR}: lists a disk store's entries, or shows one in detail. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {"Lists a disk store's entries, oldest first, with what each frame's header "
        + "says. With --key, shows the entries with that digest in detail, including the start "
        + "of the payload when it is printable text. Reading counts no hit and changes nothing."},
    footer = {"", "Examples:", "  cachet inspect .cachet --namespace 'myFn:1' --limit 20",
        "  cachet inspect .cachet --key 3f2a...e9"})
public final class InspectCommand implements Callable<Integer> {
  /** How much of a payload the detail view shows. */
  static final int PREVIEW_BYTES = 64;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store's directory.")
  Path dir;

  @Option(names = {"-n", "--namespace"}, paramLabel = "N",
      description = "Only entries of this namespace.")
  String namespace;

  @Option(names = {"-k", "--key"}, paramLabel = "DIGEST",
      description = "Show the entries with this key digest in detail.")
  String key;

  @Option(names = "--limit", paramLabel = "COUNT", defaultValue = "50",
      description = "Show at most this many entries. Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  /** Reads the entries and prints them. */
  @Override
  public Integer call() {
    if (limit <= 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--limit must be a positive number, got " + limit);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (DiskStore store = StoreDirectory.open(dir)) {
      List<EntryInfo> entries = store.entries(namespace, key, limit);
      if (key != null) {
        if (entries.isEmpty()) {
          throw new UserError("No entry with digest " + key
              + (namespace != null ? " in namespace " + namespace : "") + " in " + dir + ".",
              null);
        }
        List<String> previews = new ArrayList<>();
        for (EntryInfo e : entries) {
          EntryFrame frame = e.problem() == null ? store.peek(e.namespace(), e.digest()) : null;
          previews.add(frame == null ? null : preview(frame.payload()));
        }
        printDetails(out, entries, previews, store.directory());
      } else if (json) {
        out.println("{\"directory\": " + Json.str(store.directory().toString())
            + ", \"entries\": " + jsonEntries(entries, null) + "}");
      } else {
        printTable(out, entries);
      }
    }
    out.flush();
    return CommandLine.ExitCode.OK;
  }

  private void printTable(PrintWriter out, List<EntryInfo> entries) {
    if (entries.isEmpty()) {
      out.println(namespace == null ? "The store is empty."
          : "No entries in namespace " + namespace + ".");
      return;
    }
    Table table = new Table("NAMESPACE", "DIGEST", "SIZE", "STORED", "CODEC", "TYPE", "CREATED",
        "EXPIRES", "ACCESSES", "TAGS");
    for (EntryInfo e : entries) {
      table.row(e.namespace(), e.digest(), e.size(), e.inline() ? "inline" : "file",
          e.problem() != null ? "DAMAGED" : e.codecId(), e.typeFingerprint(),
          time(e.createdMillis()), e.expiresMillis() == 0 ? "never" : time(e.expiresMillis()),
          e.accessCount(), String.join(",", e.tags()));
    }
    table.print(out);
    out.println(entries.size() + (entries.size() == limit ? " entries shown (--limit " + limit
        + "; there may be more)." : entries.size() == 1 ? " entry." : " entries."));
  }

  private void printDetails(PrintWriter out, List<EntryInfo> entries, List<String> previews,
      Path where) {
    if (json) {
      out.println("{\"directory\": " + Json.str(where.toString()) + ", \"entries\": "
          + jsonEntries(entries, previews) + "}");
      return;
    }
    for (int i = 0; i < entries.size(); i++) {
      EntryInfo e = entries.get(i);
      if (i > 0) {
        out.println();
      }
      Table t = new Table("FIELD", "VALUE");
      t.row("namespace", e.namespace());
      t.row("digest", e.digest());
      t.row("frame size", e.size() + " bytes");
      t.row("stored", e.inline() ? "inline (in cachet.db)" : "side file files/" + e.sideFile());
      t.row("created", time(e.createdMillis()));
      t.row("last read", time(e.accessedMillis()));
      t.row("expires", e.expiresMillis() == 0 ? "never" : time(e.expiresMillis()));
      t.row("accesses", e.accessCount() + " (the write and recorded reads)");
      t.row("tags", e.tags().isEmpty() ? "(none)" : String.join(", ", e.tags()));
      if (e.problem() != null) {
        t.row("problem", e.problem());
      } else {
        t.row("codec", e.codecId());
        t.row("type", e.typeFingerprint());
        t.row("payload size", e.payloadLength() + " bytes");
        t.row("payload", previews.get(i) != null ? previews.get(i) : "(binary)");
      }
      t.print(out);
    }
  }

  private static String jsonEntries(List<EntryInfo> entries, List<String> previews) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < entries.size(); i++) {
      EntryInfo e = entries.get(i);
      b.append(i == 0 ? "" : ", ").append('{')
          .append("\"namespace\": ").append(Json.str(e.namespace()))
          .append(", \"digest\": ").append(Json.str(e.digest()))
          .append(", \"size\": ").append(e.size())
          .append(", \"created\": ").append(e.createdMillis())
          .append(", \"accessed\": ").append(e.accessedMillis())
          .append(", \"expires\": ").append(e.expiresMillis())
          .append(", \"accessCount\": ").append(e.accessCount())
          .append(", \"tags\": ").append(Json.strs(e.tags()))
          .append(", \"inline\": ").append(e.inline())
          .append(", \"sideFile\": ").append(Json.str(e.sideFile()))
          .append(", \"codecId\": ").append(Json.str(e.codecId()))
          .append(", \"typeFingerprint\": ").append(Json.str(e.typeFingerprint()))
          .append(", \"payloadSize\": ").append(e.payloadLength())
          .append(", \"problem\": ").append(Json.str(e.problem()));
      if (previews != null) {
        b.append(", \"payloadText\": ").append(Json.str(previews.get(i)));
      }
      b.append('}');
    }
    return b.append(']').toString();
  }

  private static String time(long millis) {
    return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * The payload's first bytes as text, if they are printable UTF-8; otherwise null.
   *
   * @param payload the payload
   * @return the text, with "..." when cut, or null for binary data
   */
  static String preview(byte[] payload) {
    int n = Math.min(payload.length, PREVIEW_BYTES);
    // Cutting may split a multi-byte character; back off to its start so that valid UTF-8
    // is not mistaken for binary.
    while (n < payload.length && n > 0 && (payload[n] & 0xC0) == 0x80) {
      n--;
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload, 0, n)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
        return null;
      }
    }
    return n < payload.length ? text + "..." : text;
  }
}
