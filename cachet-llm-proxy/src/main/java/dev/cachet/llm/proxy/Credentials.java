package dev.cachet.llm.proxy;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a request may carry a credential the upstream uses: the headers and query parameters
 * of the OpenAI, Azure OpenAI, Anthropic-style and Google APIs. The proxy partitions its cache
 * by all of them (see {@link Tenants}) and never writes their values anywhere.
 */
final class Credentials {
  /** Request headers that carry an API key, lower case, in the order they are hashed. */
  static final List<String> HEADERS = List.of("authorization", "api-key", "x-api-key",
      "x-goog-api-key");

  /**
   * Query parameters that carry a key or a signature, lower case: Google's {@code key}, the
   * {@code api-key} / {@code api_key} / {@code apikey} spellings of other gateways, OAuth's
   * {@code access_token}, and {@code sig} of Azure shared access signatures.
   */
  private static final Set<String> QUERY_PARAMETERS = Set.of("key", "api-key", "api_key",
      "apikey", "access_token", "token", "sig");

  private Credentials() {
  }

  /** Whether a query parameter (any case) carries a credential. */
  static boolean isCredentialParameter(String name) {
    return QUERY_PARAMETERS.contains(name.toLowerCase(Locale.ROOT));
  }
}
