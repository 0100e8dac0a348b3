package dev.cachet.llm;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link LlmCache#stats()}, bumped by the lookups, calls and stores. */
final class LlmCounters {
  final LongAdder exactHits = new LongAdder();
  final LongAdder semanticHits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder bypassed = new LongAdder();
  final LongAdder guardRejections = new LongAdder();
  final LongAdder verifierRejections = new LongAdder();
  final LongAdder stores = new LongAdder();
  final LongAdder storeRefusals = new LongAdder();

  /**
   * The counters, with the number of prompts in the in-memory vector indexes and the answers
   * found by tier.
   */
  LlmCacheStats stats(long semanticEntries, Map<String, Long> hitsByTier) {
    return new LlmCacheStats(exactHits.sum(), semanticHits.sum(), misses.sum(), bypassed.sum(),
        guardRejections.sum(), verifierRejections.sum(), stores.sum(), storeRefusals.sum(),
        semanticEntries, hitsByTier);
  }
}
