package dev.cachet.llm.proxy;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Which headers cross the proxy. */
final class Headers {
  /**
   * Hop-by-hop headers (RFC 9110 section 7.6.1) describe one connection, not the message, so a
   * proxy never forwards them; {@code host} and {@code content-length} are recomputed by each
   * side's HTTP stack (and the JDK client refuses to set them).
   */
  private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive",
      "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
      "transfer-encoding", "upgrade", "host", "content-length", "expect", "http2-settings");

  private Headers() {
  }

  /**
   * Whether a request or response header is copied to the other side.
   *
   * @param connectionValues the values of the message's {@code Connection} header: the
   *     headers it names are hop-by-hop too (RFC 9110 section 7.6.1), whatever they are called
   */
  static boolean forwarded(String name, List<String> connectionValues) {
    if (name == null || NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))
        // The client's view of the cache is ours to state, never the upstream's.
        || name.equalsIgnoreCase(CacheStatus.HEADER)
        || name.equalsIgnoreCase(CacheStatus.REASON_HEADER)) {
      return false;
    }
    for (String value : connectionValues) {
      for (String token : value.split(",")) {
        if (token.strip().equalsIgnoreCase(name)) {
          return false;
        }
      }
    }
    return true;
  }
}
