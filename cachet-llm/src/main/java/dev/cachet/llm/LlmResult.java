package dev.cachet.llm;

/**
 * An answer with how it was obtained.
 *
 * @param response the answer, from the cache or the upstream
 * @param lookup how the cache was consulted; {@link Lookup#isHit()} tells whether the
 *     upstream was called
 * @param stored whether the upstream's answer was stored (false on a hit)
 * @param notStoredReason why the answer was not stored (policy refusal, {@code noStore}), or
 *     null when stored or on a hit
 */
public record LlmResult(LlmResponse response, Lookup lookup, boolean stored,
    String notStoredReason) {
}
