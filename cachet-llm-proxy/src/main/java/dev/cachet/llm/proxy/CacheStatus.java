package dev.cachet.llm.proxy;

/**
 * How the proxy answered a request, as sent to the client in the {@code X-Cache} header.
 */
public enum CacheStatus {
  /** The same request (same tenant, same answer-changing fields) was answered before. */
  HIT("HIT"),
  /** A request whose last user message means the same, in the same partition, was answered. */
  SEMANTIC_HIT("SEMANTIC-HIT"),
  /**
   * The upstream answered: a miss, a request the cache does not handle (another path, an
   * unsupported parameter), or an upstream error passed through.
   */
  MISS("MISS"),
  /**
   * The upstream answered and the cache was not used, on purpose: a request the cache cannot
   * key (a prompt over the cache's limit, a role it does not know), an answer larger than the
   * proxy buffers. The reason is in {@link #REASON_HEADER}.
   */
  BYPASS("BYPASS");

  /** The response header that carries the status on every answer of the proxy. */
  public static final String HEADER = "X-Cache";
  /** The response header that says why a request was a {@link #BYPASS}. */
  public static final String REASON_HEADER = "X-Cache-Reason";

  private final String headerValue;

  CacheStatus(String headerValue) {
    this.headerValue = headerValue;
  }

  /**
   * The value of the {@code X-Cache} header.
   *
   * @return {@code HIT}, {@code SEMANTIC-HIT}, {@code MISS} or {@code BYPASS}
   */
  public String headerValue() {
    return headerValue;
  }
}
