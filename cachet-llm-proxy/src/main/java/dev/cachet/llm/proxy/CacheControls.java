package dev.cachet.llm.proxy;

import java.util.List;
import java.util.Locale;

/**
 * How a request steers the cache, as LLM gateways let it: {@code Cache-Control: no-cache}
 * (do not answer from the cache; the fresh answer is still stored), {@code no-store} (do not
 * store this answer), and {@code X-Cachet-Refresh: true} (a forced refresh, the same as
 * {@code no-cache}), {@code max-age=N} (answer from the cache only with an entry stored less
 * than N seconds ago; an older one is refreshed).
 *
 * @param read whether the cache may answer
 * @param write whether the answer may be stored
 * @param maxAgeSeconds the oldest entry the client accepts, in seconds; -1 for any
 */
record CacheControls(boolean read, boolean write, long maxAgeSeconds) {
  /** The request header that forces a refresh. */
  static final String REFRESH_HEADER = "X-Cachet-Refresh";
  /** The request header that names a namespace: entries are partitioned by it. */
  static final String NAMESPACE_HEADER = "X-Cachet-Namespace";

  /** Reads the controls of a request from its {@code Cache-Control} and refresh headers. */
  static CacheControls of(java.util.function.Function<String, List<String>> headerValues) {
    boolean read = true;
    boolean write = true;
    long maxAge = -1;
    for (String value : headerValues.apply("Cache-Control")) {
      for (String directive : value.split(",")) {
        String d = directive.strip().toLowerCase(Locale.ROOT);
        if (d.equals("no-cache")) {
          read = false;
        } else if (d.equals("no-store")) {
          write = false;
        } else if (d.startsWith("max-age=")) {
          try {
            long seconds = Long.parseLong(d.substring("max-age=".length()).strip());
            maxAge = maxAge < 0 ? Math.max(0, seconds) : Math.min(maxAge, Math.max(0, seconds));
          } catch (NumberFormatException ignored) {
            // RFC 9111: an invalid max-age is ignored.
          }
        }
      }
    }
    for (String value : headerValues.apply(REFRESH_HEADER)) {
      String v = value.strip().toLowerCase(Locale.ROOT);
      if (v.equals("true") || v.equals("1") || v.equals("yes")) {
        read = false;
      }
    }
    return new CacheControls(read, write, maxAge);
  }

  /** The same controls, not reading the cache (to refresh an entry too old for the client). */
  CacheControls refreshing() {
    return new CacheControls(false, write, maxAgeSeconds);
  }

  /** Why the cache was not read or written, for the proxy's event; empty when it was. */
  String note() {
    if (read && write) {
      return "";
    }
    return !read && !write ? "no-cache, no-store" : !read ? "no-cache" : "no-store";
  }
}
