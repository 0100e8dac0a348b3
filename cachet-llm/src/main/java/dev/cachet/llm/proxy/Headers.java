package dev.cachet.llm.proxy;

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

  /** Whether a request or response header is copied to the other side. */
  static boolean forwarded(String name) {
    return name != null && !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))
        // The client's view of the cache is ours to state, never the upstream's.
        && !name.equalsIgnoreCase(CacheStatus.HEADER);
  }
}
