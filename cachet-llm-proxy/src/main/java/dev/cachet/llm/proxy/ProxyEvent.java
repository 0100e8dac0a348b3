package dev.cachet.llm.proxy;

/**
 * One request the proxy answered, for logs and metrics. It never carries the API key, the
 * prompt or the answer: a listener may write it anywhere.
 *
 * @param method the HTTP method
 * @param path the request path, without the query
 * @param status how it was answered
 * @param httpStatus the status code sent to the client
 * @param streamed whether the answer was a server-sent-events stream
 * @param similarity for a {@link CacheStatus#SEMANTIC_HIT}, the cosine similarity of the
 *     matched prompt; {@code NaN} otherwise
 * @param nanos the time from reading the request to the last byte written
 * @param note a short explanation when the cache was skipped or nothing was stored (such as
 *     {@code "upstream 500, not stored"}); empty otherwise
 */
public record ProxyEvent(String method, String path, CacheStatus status, int httpStatus,
    boolean streamed, double similarity, long nanos, String note) {
}
