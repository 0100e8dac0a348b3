package dev.cachet.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cachet.tier.Invalidation;
import java.net.InetAddress;
import java.util.Locale;

/**
 * The wire format of one invalidation, version 1 (specified in docs/REDIS-FORMAT.md, "Bus"):
 * a compact JSON object, stored in the log stream's field {@code m} and published on the channel
 * as {@code <stream id> <json>}.
 *
 * <pre>{@code {"v":1,"scope":"KEY","ns":"fn:1:ab12..:cd34..","digest":"3f2a..",
 *  "reason":"invalidate","origin":"4242@web-1/9f3c01ab","at":1763790000123}}</pre>
 *
 * <p>Fields a scope does not use are left out. Readers ignore fields they do not know (new ones
 * are added without changing {@code v}); {@code v} goes up only for a change old readers would
 * misread, and a reader that meets a newer version treats it as an invalidation of everything.
 */
final class InvalidationMessages {
  /** The format version this code writes and fully understands. */
  static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private InvalidationMessages() {
  }

  /** Thrown for a message this version cannot read. */
  static final class MalformedMessageException extends Exception {
    MalformedMessageException(String message) {
      super(message);
    }
  }

  /** The message body of {@code invalidation}, which must carry its origin. */
  static String encode(Invalidation invalidation) {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", VERSION);
    o.put("scope", invalidation.scope().name());
    putIfPresent(o, "ns", invalidation.namespace());
    putIfPresent(o, "digest", invalidation.digest());
    putIfPresent(o, "tag", invalidation.tag());
    o.put("reason", invalidation.reason());
    putIfPresent(o, "origin", invalidation.origin());
    o.put("at", invalidation.atMillis());
    return o.toString();
  }

  private static void putIfPresent(ObjectNode o, String field, String value) {
    if (value != null) {
      o.put(field, value);
    }
  }

  /**
   * Reads a message body.
   *
   * @throws MalformedMessageException when it is not a version-1 invalidation
   */
  static Invalidation decode(String json) throws MalformedMessageException {
    JsonNode o;
    try {
      o = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MalformedMessageException("not JSON: " + e.getOriginalMessage());
    }
    if (o == null || !o.isObject()) {
      throw new MalformedMessageException("not a JSON object");
    }
    int version = o.path("v").asInt(-1);
    if (version != VERSION) {
      throw new MalformedMessageException("format version " + o.path("v")
          + ", this reader knows " + VERSION);
    }
    Invalidation.Scope scope;
    try {
      scope = Invalidation.Scope.valueOf(o.path("scope").asText("").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("unknown scope " + o.path("scope"));
    }
    try {
      return new Invalidation(scope, text(o, "ns"), text(o, "digest"), text(o, "tag"),
          o.path("reason").asText(""), text(o, "origin"), o.path("at").asLong(0));
    } catch (NullPointerException e) {
      // Invalidation's constructor names the field a scope needs.
      throw new MalformedMessageException(e.getMessage());
    }
  }

  private static String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  /** {@code pid@host/instanceId}: who sent an invalidation, distinct for two buses of one JVM. */
  static String origin(String instanceId) {
    return ProcessHandle.current().pid() + "@" + Host.NAME + "/" + instanceId;
  }

  /** The host name, looked up once (a slow resolver must not slow every bus). */
  private static final class Host {
    static final String NAME = lookup();

    private static String lookup() {
      String env = System.getenv("HOSTNAME");
      if (env != null && !env.isBlank()) {
        return env.trim();
      }
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        return "unknown-host";
      }
    }
  }
}
