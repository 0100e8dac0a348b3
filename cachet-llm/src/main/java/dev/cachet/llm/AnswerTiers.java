package dev.cachet.llm;

import dev.cachet.Cache;
import dev.cachet.tier.Store;
import dev.cachet.tier.TierEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where {@link LlmCache}'s entries live: the Cachet's memory ({@code llm:<name>}) for answers,
 * then the Cachet's tiers through core's {@link TierEngine} (which walks them, honours each
 * tier's lifetime, promotes, counts hits by tier and publishes removals), answers under
 * {@code llm:<name>:exact:<tenant digest>} and semantic entries under
 * {@code llm:<name>:semantic:<partition digest>}. Other processes and later runs read these
 * namespaces, so their names do not change.
 */
final class AnswerTiers {
  private final String name;
  private final Cache<String, StoredAnswer> memory;
  private final TierEngine engine;
  /** How long an answer is valid, in millis; 0 for as long as the tiers keep it. */
  private final long ttlMillis;
  private final LongAdder memoryHits = new LongAdder();

  AnswerTiers(String name, Cache<String, StoredAnswer> memory, TierEngine engine,
      long ttlMillis) {
    this.name = name;
    this.memory = memory;
    this.engine = engine;
    this.ttlMillis = ttlMillis;
  }

  /** The tiers below memory, in order. */
  List<Store> stores() {
    return engine.stores();
  }

  /** The engine over the tiers. */
  TierEngine engine() {
    return engine;
  }

  /** Now, by the Cachet's clock, which stamps and expires every entry. */
  long now() {
    return engine.clock().millis();
  }

  /** When an answer stored at {@code storedAt} stops being valid: epoch millis, 0 for never. */
  long expiresAt(long storedAt) {
    return ttlMillis == 0 ? 0 : storedAt + ttlMillis;
  }

  /** The namespace of one tenant's answers. */
  String exactNamespace(String tenantDigest) {
    return namespacePrefix() + "exact:" + tenantDigest;
  }

  /** The namespace of one partition's semantic entries (prompt and vector). */
  String semanticNamespace(String partition) {
    return namespacePrefix() + "semantic:" + partition;
  }

  /** What every namespace of this cache starts with. */
  private String namespacePrefix() {
    return "llm:" + name + ":";
  }

  /**
   * The live answer under an exact key: memory first, then the tiers; a tier hit is promoted to
   * memory and the tiers above. Null when none is.
   */
  StoredAnswer load(String tenantDigest, String exact) {
    StoredAnswer inMemory = memory.getIfPresent(exact);
    if (inMemory != null) {
      if (inMemory.expiresAt == 0 || now() < inMemory.expiresAt) {
        memoryHits.increment();
        return inMemory;
      }
      memory.invalidate(exact);
    }
    TierEngine.Found<StoredAnswer> found = engine.lookup(exactNamespace(tenantDigest), exact,
        StoredAnswer.TYPE, frame -> {
          try {
            return StoredAnswer.fromJson(frame.payload(), expiresAt(frame.createdAtMillis()));
          } catch (IOException e) {
            // The engine drops an entry whose payload does not read.
            throw new UncheckedIOException(e);
          }
        });
    if (found == null) {
      return null;
    }
    memory.put(exact, found.value());
    return found.value();
  }

  /** Stores an answer in memory and in every tier, replacing any stored one. */
  void putAnswer(String tenantDigest, String exact, StoredAnswer answer) {
    memory.put(exact, answer);
    engine.put(exactNamespace(tenantDigest), exact, "json", StoredAnswer.TYPE, List.of(),
        answer.toJson(), answer.storedAt);
  }

  /** Stores a semantic entry's payload in every tier. */
  void putSemantic(String partition, String exact, byte[] payload, long storedAt) {
    engine.put(semanticNamespace(partition), exact, "json", SemanticEntry.TYPE, List.of(),
        payload, storedAt);
  }

  /**
   * Removes an entry's answer from memory and its answer and semantic entry from every tier,
   * and tells the other processes (whether or not this one held it: they may still serve it
   * from their memory).
   *
   * @return whether something was removed here
   */
  boolean remove(EntryId id, String reason) {
    boolean removed = memory.invalidate(id.exact());
    removed |= engine.remove(exactNamespace(id.tenantDigest()), id.exact(), reason);
    if (id.partition() != null) {
      removed |= engine.remove(semanticNamespace(id.partition()), id.exact(), reason);
    }
    return removed;
  }

  /** Answers found by lookups, by the tier that held them: memory, then each tier below. */
  Map<String, Long> hitsByTier() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("memory", memoryHits.sum());
    long[] lower = engine.hitsByTier();
    for (int i = 0; i < lower.length; i++) {
      out.merge(engine.stores().get(i).describe(), lower[i], Long::sum);
    }
    return out;
  }

  /**
   * Drops an answer from this process's memory only: another process removed it from the
   * shared tiers, and removed it from its own memory itself.
   */
  void forgetInMemory(String exact) {
    memory.invalidate(exact);
  }

  /** Drops every answer from this process's memory only. */
  void forgetAllInMemory() {
    memory.invalidateAll();
  }
}
