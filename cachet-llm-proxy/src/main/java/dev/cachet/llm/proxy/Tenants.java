package dev.cachet.llm.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Derives the tenant of a request: the partition of the cache it may read and write.
 *
 * <p>The partition is the SHA-256 of every credential the request carries, wherever the
 * upstream may read one ({@link Credentials#HEADERS}: {@code Authorization}, bearer or not,
 * {@code api-key}, {@code x-api-key}, {@code x-goog-api-key}; and credential query parameters
 * such as {@code key}), so two keys never share an answer however they are sent, and no key is
 * kept: not in the cache, not in a log, not in memory past the request. A request without any
 * credential is the anonymous tenant.
 *
 * <p>Three things only narrow that partition, never replace it: a configured tenant header (any
 * client can set a header, so its value must not open another key's entries), the namespace
 * header {@code X-Cachet-Namespace}, and the query parameters that are not credentials
 * (Azure's {@code api-version}, say), which change what the upstream answers.
 */
final class Tenants {
  static final String ANONYMOUS = "anonymous";

  private final String tenantHeader;

  /**
   * @param tenantHeader the header that narrows a credential's partition, or null for none
   */
  Tenants(String tenantHeader) {
    this.tenantHeader = tenantHeader;
  }

  /**
   * The partition of a request.
   *
   * @param headerValues reads all values of a request header by name (case-insensitive), an
   *     empty list when absent
   * @param rawQuery the request's raw query string, or null
   */
  String tenantOf(java.util.function.Function<String, List<String>> headerValues,
      String rawQuery) {
    // Each credential is hashed with where it came from and a length prefix, so no two
    // different sets of credentials can produce the same input to the hash.
    StringBuilder credentials = new StringBuilder();
    for (String header : Credentials.HEADERS) {
      for (String value : headerValues.apply(header)) {
        String key = value.strip();
        if (header.equals("authorization")
            && key.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
          key = key.substring("bearer ".length()).strip();
        }
        if (!key.isEmpty()) {
          field(credentials, "header:" + header, key);
        }
      }
    }
    List<Map.Entry<String, String>> keys = new ArrayList<>();
    List<Map.Entry<String, String>> others = new ArrayList<>();
    for (Map.Entry<String, String> parameter : QueryString.parse(rawQuery)) {
      (Credentials.isCredentialParameter(parameter.getKey()) ? keys : others).add(parameter);
    }
    for (Map.Entry<String, String> parameter : sorted(keys)) {
      field(credentials, "query:" + parameter.getKey().toLowerCase(Locale.ROOT),
          parameter.getValue());
    }
    StringBuilder tenant = new StringBuilder(credentials.length() == 0 ? ANONYMOUS
        : "key:" + sha256(credentials.toString()));
    if (tenantHeader != null) {
      String scope = String.join(",", headerValues.apply(tenantHeader)).strip();
      if (!scope.isEmpty()) {
        tenant.append("|scope:").append(sha256(scope));
      }
    }
    String namespace = String.join(",", headerValues.apply(CacheControls.NAMESPACE_HEADER))
        .strip();
    if (!namespace.isEmpty()) {
      tenant.append("|namespace:").append(sha256(namespace));
    }
    if (!others.isEmpty()) {
      StringBuilder query = new StringBuilder();
      for (Map.Entry<String, String> parameter : sorted(others)) {
        field(query, parameter.getKey(), parameter.getValue());
      }
      tenant.append("|query:").append(sha256(query.toString()));
    }
    return tenant.toString();
  }

  private static List<Map.Entry<String, String>> sorted(List<Map.Entry<String, String>> list) {
    List<Map.Entry<String, String>> copy = new ArrayList<>(list);
    copy.sort(Map.Entry.<String, String>comparingByKey()
        .thenComparing(Map.Entry.comparingByValue(Comparator.naturalOrder())));
    return copy;
  }

  private static void field(StringBuilder out, String name, String value) {
    out.append(name.length()).append(':').append(name).append(value.length()).append(':')
        .append(value).append(';');
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
