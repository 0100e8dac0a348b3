package dev.cachet.llm.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Derives the tenant of a request: the partition of the cache it may read and write.
 *
 * <p>By default the tenant is the SHA-256 of the bearer key, so two API keys never share an
 * answer and the key itself is never kept: not in the cache, not in a log, not in memory past
 * the request. A configured tenant header (set by a gateway in front of the proxy, say) takes
 * precedence when present; a request with neither is the anonymous tenant.
 */
final class Tenants {
  static final String ANONYMOUS = "anonymous";

  private final String tenantHeader;

  /**
   * @param tenantHeader the header naming the tenant, or null to use the bearer key only
   */
  Tenants(String tenantHeader) {
    this.tenantHeader = tenantHeader;
  }

  /**
   * @param headerValue reads a request header by name (case-insensitive), null when absent
   */
  String tenantOf(java.util.function.Function<String, String> headerValue) {
    if (tenantHeader != null) {
      String named = headerValue.apply(tenantHeader);
      if (named != null && !named.isBlank()) {
        // Prefixed so a tenant header can never name the partition of some bearer key.
        return "header:" + named.strip();
      }
    }
    String authorization = headerValue.apply("Authorization");
    if (authorization != null) {
      String key = authorization.strip();
      if (key.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
        key = key.substring("bearer ".length()).strip();
      }
      if (!key.isEmpty()) {
        return "key:" + sha256(key);
      }
    }
    return ANONYMOUS;
  }

  static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
