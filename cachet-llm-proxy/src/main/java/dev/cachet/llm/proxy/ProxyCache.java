package dev.cachet.llm.proxy;

import dev.cachet.llm.LlmRequest;
import dev.cachet.llm.LlmResponse;
import java.util.List;

/**
 * What the proxy needs from the LLM cache: a lookup that says how it matched, and a store. A
 * narrow seam over {@link dev.cachet.llm.LlmCache}, so the HTTP side does not follow every
 * change of the library's API, and tests can count calls.
 */
interface ProxyCache {

  /**
   * Finds a stored answer.
   *
   * @param tenant the partition the request may read
   * @param request the request
   * @return the match; {@link CacheStatus#MISS} with a null response when none
   * @throws dev.cachet.llm.InvalidRequestException when the cache refuses the request (too large)
   */
  Match lookup(String tenant, LlmRequest request);

  /**
   * Answers from the cache or from {@code upstream}, storing its answer; concurrent identical
   * misses share one upstream call (the others get its answer, as a hit, or its exception).
   *
   * @param upstream the real call; it may throw to say there is no answer to store
   * @return the match (a miss when {@code upstream} was called by this caller) and, on a
   *     miss, why the answer was not stored (null when stored)
   */
  Answer chat(String tenant, LlmRequest request, CacheControls controls,
      java.util.function.Function<LlmRequest, LlmResponse> upstream);

  /**
   * Removes an entry when it belongs to the tenant.
   *
   * @param entryId the id a hit reported
   * @return whether it was removed (false: absent, or another tenant's)
   * @throws IllegalArgumentException when the id is not an entry id
   */
  boolean invalidate(String tenant, String entryId);

  /**
   * Records a client's verdict on a semantic hit of the tenant's, for the cache's error-bounded
   * mode ({@link dev.cachet.llm.LlmCache#feedback(String, String, boolean)}).
   *
   * @param entryId the id a hit reported
   * @param correct whether the hit's answer was right
   * @return whether it was recorded (false: not error-bounded, another tenant's, or no
   *     unjudged semantic hit from that entry)
   * @throws IllegalArgumentException when the id is not an entry id
   */
  boolean feedback(String tenant, String entryId, boolean correct);

  /**
   * The result of {@link #chat}.
   *
   * @param match how it was answered; for a miss, the response is the upstream's
   * @param notStored why a computed answer was not stored, or null
   */
  record Answer(Match match, String notStored) {
  }

  /**
   * Stores a complete answer, unless the cache's policy says no.
   *
   * @param chunks the answer's text as streamed, for a faithful replay; empty when not streamed
   * @return null when stored, else why not (for the proxy's event)
   */
  String store(String tenant, LlmRequest request, LlmResponse response, List<String> chunks);

  /**
   * How a lookup ended.
   *
   * @param status {@link CacheStatus#HIT}, {@link CacheStatus#SEMANTIC_HIT} or
   *     {@link CacheStatus#MISS}
   * @param response the answer on a hit, else null
   * @param chunks the stored answer's text as it was streamed; may be empty
   * @param similarity the cosine similarity for a semantic hit, {@code NaN} otherwise
   * @param detail why it missed (the guard rule, the sampling policy), or empty
   * @param entryId the id of the matched entry on a hit (for deleting it), else null
   * @param storedAtMillis when the matched answer was stored (epoch milliseconds), 0 if unknown
   */
  record Match(CacheStatus status, LlmResponse response, List<String> chunks, double similarity,
      String detail, String entryId, long storedAtMillis) {

    static Match miss(String detail) {
      return new Match(CacheStatus.MISS, null, List.of(), Double.NaN, detail, null, 0);
    }

    /** Whether a hit is older than a client accepts ({@code Cache-Control: max-age}). */
    boolean olderThan(long maxAgeSeconds, long nowMillis) {
      return maxAgeSeconds >= 0 && storedAtMillis > 0
          && nowMillis - storedAtMillis >= maxAgeSeconds * 1000;
    }

    boolean isHit() {
      return status != CacheStatus.MISS;
    }
  }
}
