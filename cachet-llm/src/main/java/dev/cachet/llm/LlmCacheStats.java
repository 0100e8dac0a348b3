package dev.cachet.llm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counters of one {@link LlmCache} since it was built.
 *
 * @param exactHits answers found by the exact key
 * @param semanticHits answers found by similarity
 * @param misses lookups that found nothing suitable
 * @param bypassed lookups skipped by policy (sampled requests, refresh)
 * @param guardRejections candidates above the similarity threshold rejected by the guard
 * @param verifierRejections candidates that passed the guard and were rejected by the verifier
 * @param stores answers stored
 * @param storeRefusals answers not stored (incomplete, truncated, errors)
 * @param semanticEntries prompts currently in the in-memory vector indexes
 * @param hitsByTier answers that lookups found (exact hits and the answers of semantic hits),
 *     by the tier that held them: {@code "memory"} first, then each tier below memory by its
 *     {@code Store.describe()}, fastest first (an answer shared with an identical call in
 *     flight was read from no tier and is not in it); never null, unmodifiable
 */
public record LlmCacheStats(long exactHits, long semanticHits, long misses, long bypassed,
    long guardRejections, long verifierRejections, long stores, long storeRefusals,
    long semanticEntries, Map<String, Long> hitsByTier) {

  /**
   * Copies {@code hitsByTier}, keeping its order.
   *
   * @throws NullPointerException when {@code hitsByTier} is null
   */
  public LlmCacheStats {
    hitsByTier = Collections.unmodifiableMap(new LinkedHashMap<>(hitsByTier));
  }

  /**
   * Counters without verifier rejections nor a split by tier ({@link #hitsByTier()} is
   * empty).
   *
   * @param exactHits answers found by the exact key
   * @param semanticHits answers found by similarity
   * @param misses lookups that found nothing suitable
   * @param bypassed lookups skipped by policy
   * @param guardRejections candidates rejected by the guard
   * @param stores answers stored
   * @param storeRefusals answers not stored
   * @param semanticEntries prompts in the in-memory vector indexes
   */
  public LlmCacheStats(long exactHits, long semanticHits, long misses, long bypassed,
      long guardRejections, long stores, long storeRefusals, long semanticEntries) {
    this(exactHits, semanticHits, misses, bypassed, guardRejections, 0, stores, storeRefusals,
        semanticEntries, Map.of());
  }

  /**
   * Hits of either kind.
   *
   * @return exact plus semantic hits
   */
  public long hits() {
    return exactHits + semanticHits;
  }

  /**
   * Hits divided by lookups that consulted the cache.
   *
   * @return a ratio between 0 and 1, or 0 before any lookup
   */
  public double hitRate() {
    long lookups = hits() + misses;
    return lookups == 0 ? 0 : (double) hits() / lookups;
  }
}
