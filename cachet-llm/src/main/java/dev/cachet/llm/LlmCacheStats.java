package dev.cachet.llm;

/**
 * Counters of one {@link LlmCache} since it was built.
 *
 * @param exactHits answers found by the exact key
 * @param semanticHits answers found by similarity
 * @param misses lookups that found nothing suitable
 * @param bypassed lookups skipped by policy (sampled requests, refresh)
 * @param guardRejections candidates above the similarity threshold rejected by the guard
 * @param stores answers stored
 * @param storeRefusals answers not stored (incomplete, truncated, errors)
 * @param semanticEntries prompts currently in the in-memory vector indexes
 */
public record LlmCacheStats(long exactHits, long semanticHits, long misses, long bypassed,
    long guardRejections, long stores, long storeRefusals, long semanticEntries) {

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
