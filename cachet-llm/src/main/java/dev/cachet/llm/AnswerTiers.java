package dev.cachet.llm;

import dev.cachet.Cache;
import dev.cachet.codec.EntryFrame;
import dev.cachet.tier.Store;
import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where {@link LlmCache}'s entries live: the Cachet's memory ({@code llm:<name>}) for answers,
 * then each of its tiers in order, answers under {@code llm:<name>:exact:<tenant digest>} and
 * semantic entries under {@code llm:<name>:semantic:<partition digest>}. Other processes and
 * later runs read these namespaces, so their names do not change.
 */
final class AnswerTiers {
  private static final Logger LOG = Logger.getLogger(LlmCache.class.getName());

  private final String name;
  private final Cache<String, StoredAnswer> memory;
  private final List<Store> tiers;

  AnswerTiers(String name, Cache<String, StoredAnswer> memory, List<Store> tiers) {
    this.name = name;
    this.memory = memory;
    this.tiers = tiers;
  }

  /** The tiers below memory, in order. */
  List<Store> stores() {
    return tiers;
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
   * The live answer under an exact key: memory first, then each tier in order; a tier hit is
   * promoted to memory and the tiers above. Null when none is.
   */
  StoredAnswer load(String tenantDigest, String exact) {
    long now = System.currentTimeMillis();
    StoredAnswer inMemory = memory.getIfPresent(exact);
    if (inMemory != null) {
      if (inMemory.expiresAt == 0 || now < inMemory.expiresAt) {
        return inMemory;
      }
      memory.invalidate(exact);
    }
    String namespace = exactNamespace(tenantDigest);
    for (int i = 0; i < tiers.size(); i++) {
      byte[] bytes = tiers.get(i).get(namespace, exact);
      if (bytes == null) {
        continue;
      }
      try {
        EntryFrame frame = EntryFrame.decode(bytes);
        if (!StoredAnswer.TYPE.equals(frame.typeFingerprint()) || frame.isExpired(now)) {
          continue;
        }
        StoredAnswer answer = StoredAnswer.fromJson(frame.payload(), frame.expiresAtMillis());
        memory.put(exact, answer);
        for (int j = 0; j < i; j++) {
          tiers.get(j).put(namespace, exact, bytes, frame.expiresAtMillis(), List.of());
        }
        return answer;
      } catch (RuntimeException | IOException e) {
        LOG.log(Level.WARNING, "Unreadable LLM cache entry in " + tiers.get(i).describe()
            + "; treated as a miss", e);
        tiers.get(i).remove(namespace, exact);
      }
    }
    return null;
  }

  /** Stores an answer in memory and in every tier, replacing any stored one. */
  void putAnswer(String tenantDigest, String exact, StoredAnswer answer) {
    memory.put(exact, answer);
    byte[] frame = new EntryFrame("json", StoredAnswer.TYPE, answer.storedAt, answer.expiresAt,
        List.of(), answer.toJson()).encode();
    for (Store tier : tiers) {
      tier.put(exactNamespace(tenantDigest), exact, frame, answer.expiresAt, List.of());
    }
  }

  /** Stores a semantic entry (an encoded frame) in every tier. */
  void putSemantic(String partition, String exact, byte[] frame, long expiresAt) {
    for (Store tier : tiers) {
      tier.put(semanticNamespace(partition), exact, frame, expiresAt, List.of());
    }
  }

  /**
   * Removes an entry's answer from memory and its answer and semantic entry from every tier.
   *
   * @return whether something was removed
   */
  boolean remove(EntryId id) {
    boolean removed = memory.invalidate(id.exact());
    for (Store tier : tiers) {
      removed |= tier.remove(exactNamespace(id.tenantDigest()), id.exact());
      if (id.partition() != null) {
        removed |= tier.remove(semanticNamespace(id.partition()), id.exact());
      }
    }
    return removed;
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
