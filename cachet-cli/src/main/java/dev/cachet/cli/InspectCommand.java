package dev.cachet.cli;

import dev.cachet.codec.CorruptEntryException;
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
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cachet inspect DIR} or {@code cachet inspect --redis URI --namespace N}: lists a store's
 * entries, or shows one in detail.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {"Lists a store's entries (a disk store's, or with --redis one namespace of a "
        + "Redis store's) with what each frame's header says, or shows one in detail.",
        "Disk: oldest first. With --key, shows the entries with that digest in detail, "
        + "including the start of the payload when it is printable text. Reading counts no hit "
        + "and changes nothing.",
        "Redis: --namespace is required (Redis is scanned per namespace); entries come in no "
        + "particular order, and one that turns out damaged is removed, as on any read."},
    footer = {"", "Examples:", "  cachet inspect .cachet --namespace 'myFn:1' --limit 20",
        "  cachet inspect .cachet --key 3f2a...e9",
        "  cachet inspect --redis redis://127.0.0.1:6379 -n 'myFn:1:ab12:cd34'"})
public final class InspectCommand implements Callable<Integer> {
  /** How much of a payload the detail view shows. */
  static final int PREVIEW_BYTES = 64;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
      description = "The disk store's directory (or give --redis).")
  Path dir;

  @Option(names = "--redis", paramLabel = "URI",
      description = "A Redis store instead, such as redis://host:6379?prefix=app.")
  String redis;

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
    RedisTarget.requireOneTarget(spec, dir, redis);
    PrintWriter out = spec.commandLine().getOut();
    if (redis != null) {
      if (namespace == null) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "inspect --redis needs --namespace N: Redis entries are listed one namespace at a "
                + "time (cachet audit --redis shows the namespaces recently invalidated).");
      }
      try (RedisTarget target = RedisTarget.open(redis)) {
        inspectRedis(out, target);
      }
      out.flush();
      return CommandLine.ExitCode.OK;
    }
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

  /** One Redis entry: its frame, or why it could not be read. */
  private record RedisEntry(String digest, int size, EntryFrame frame, String problem) {
  }

  private void inspectRedis(PrintWriter out, RedisTarget target) {
    List<String> digests = key != null ? List.of(key)
        : target.call("list the entries of " + namespace, s -> s.digests(namespace, limit));
    Map<String, byte[]> frames = target.call("read the entries of " + namespace,
        s -> s.getAll(namespace, digests));
    List<RedisEntry> entries = new ArrayList<>();
    for (String d : digests) {
      byte[] bytes = frames.get(d);
      if (bytes == null) {
        continue; // expired, removed or damaged since the listing
      }
      try {
        entries.add(new RedisEntry(d, bytes.length, EntryFrame.decode(bytes), null));
      } catch (CorruptEntryException e) {
        entries.add(new RedisEntry(d, bytes.length, null, e.getMessage()));
      }
    }
    if (key != null && entries.isEmpty()) {
      throw new UserError("No entry with digest " + key + " in namespace " + namespace + " on "
          + target.describe() + ".", null);
    }
    if (json) {
      StringBuilder b = new StringBuilder("{\"redis\": ").append(Json.str(target.describe()))
          .append(", \"namespace\": ").append(Json.str(namespace)).append(", \"entries\": [");
      for (int i = 0; i < entries.size(); i++) {
        RedisEntry e = entries.get(i);
        EntryFrame f = e.frame();
        b.append(i == 0 ? "" : ", ").append("{\"digest\": ").append(Json.str(e.digest()))
            .append(", \"size\": ").append(e.size());
        if (f != null) {
          b.append(", \"created\": ").append(f.createdAtMillis())
              .append(", \"expires\": ").append(f.expiresAtMillis())
              .append(", \"tags\": ").append(Json.strs(f.tags()))
              .append(", \"codecId\": ").append(Json.str(f.codecId()))
              .append(", \"typeFingerprint\": ").append(Json.str(f.typeFingerprint()))
              .append(", \"payloadSize\": ").append(f.payload().length);
          if (key != null) {
            b.append(", \"payloadText\": ").append(Json.str(preview(f.payload())));
          }
        }
        b.append(", \"problem\": ").append(Json.str(e.problem())).append('}');
      }
      out.println(b.append("]}"));
      return;
    }
    if (key != null) {
      RedisEntry e = entries.get(0);
      Table t = new Table("FIELD", "VALUE");
      t.row("store", target.describe());
      t.row("namespace", namespace);
      t.row("digest", e.digest());
      t.row("frame size", e.size() + " bytes");
      if (e.frame() == null) {
        t.row("problem", e.problem());
      } else {
        EntryFrame f = e.frame();
        t.row("created", time(f.createdAtMillis()));
        t.row("expires", f.expiresAtMillis() == 0 ? "never" : time(f.expiresAtMillis()));
        t.row("tags", f.tags().isEmpty() ? "(none)" : String.join(", ", f.tags()));
        t.row("codec", f.codecId());
        t.row("type", f.typeFingerprint());
        t.row("payload size", f.payload().length + " bytes");
        String text = preview(f.payload());
        t.row("payload", text != null ? text : "(binary)");
      }
      t.print(out);
      return;
    }
    if (entries.isEmpty()) {
      out.println("No entries in namespace " + namespace + " on " + target.describe() + ".");
      return;
    }
    Table table = new Table("DIGEST", "SIZE", "CODEC", "TYPE", "CREATED", "EXPIRES", "TAGS");
    for (RedisEntry e : entries) {
      EntryFrame f = e.frame();
      if (f == null) {
        table.row(e.digest(), e.size(), "DAMAGED", "", "", "", "");
      } else {
        table.row(e.digest(), e.size(), f.codecId(), f.typeFingerprint(),
            time(f.createdAtMillis()),
            f.expiresAtMillis() == 0 ? "never" : time(f.expiresAtMillis()),
            String.join(",", f.tags()));
      }
    }
    table.print(out);
    out.println(entries.size() + (entries.size() == limit ? " entries shown (--limit " + limit
        + "; there may be more)." : entries.size() == 1 ? " entry." : " entries."));
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
