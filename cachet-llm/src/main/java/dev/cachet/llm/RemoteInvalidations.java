package dev.cachet.llm;

import dev.cachet.tier.Invalidation;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps {@link LlmCache}s in different processes coherent through the invalidation buses of
 * the Cachet's shared tiers (Redis): removals published elsewhere drop this process's copies
 * (removals made here are published by core's {@link dev.cachet.tier.TierEngine}). Without it, another process keeps serving a removed
 * answer, a wrong semantic match included, from its memory and its vector index, which no
 * shared tier's removal reaches.
 *
 * <p>Sent as core's engine sends its own: {@link Invalidation.Scope#KEY} invalidations of the
 * answer's namespace ({@code llm:<name>:exact:<tenant>}) and, for an entry with a semantic
 * partition, of the semantic namespace. The receiving Cachet itself drops the entries from its
 * local tiers (disk); this class drops the copies only the LLM cache holds.
 */
final class RemoteInvalidations {
  private static final Logger LOG = Logger.getLogger(LlmCache.class.getName());

  private final AnswerTiers answers;
  private final SemanticSearch semantic; // null without the semantic layer

  RemoteInvalidations(AnswerTiers answers, SemanticSearch semantic) {
    this.answers = answers;
    this.semantic = semantic;
    // Never unsubscribed: an LlmCache has no close and is built once per application (its
    // Javadoc says so), and the bus stops delivering when its Cachet closes.
    answers.engine().subscribe(this::received);
  }

  /**
   * Tells the other processes that the answer under this exact key was replaced, so they drop
   * the older copy in their memory (as core does for an explicit put).
   */
  void replaced(String tenantDigest, String exact) {
    answers.engine().publish(Invalidation.key(answers.exactNamespace(tenantDigest), exact,
        "put"));
  }

  /** Runs on the bus's thread: quick, and never throws. */
  private void received(Invalidation invalidation) {
    try {
      switch (invalidation.scope()) {
        case KEY -> receivedKey(invalidation.namespace(), invalidation.digest());
        case NAMESPACE -> receivedNamespace(invalidation.namespace());
        case ALL -> {
          // The bus could not tell what it missed: drop what only this process holds.
          answers.forgetAllInMemory();
          if (semantic != null) {
            semantic.forgetAll();
          }
        }
        case TAG -> {
          // LLM entries carry no tags.
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not apply " + invalidation, e);
    }
  }

  private void receivedKey(String namespace, String digest) {
    String partition = partitionOf(namespace);
    if (isExact(namespace)) {
      answers.forgetInMemory(digest);
    } else if (partition != null && semantic != null) {
      semantic.remove(partition, digest);
    }
  }

  private void receivedNamespace(String namespace) {
    String partition = partitionOf(namespace);
    if (isExact(namespace)) {
      // Memory is keyed by exact key alone, so one tenant's answers cannot be told apart.
      answers.forgetAllInMemory();
    } else if (partition != null && semantic != null) {
      semantic.forgetPartition(partition);
    }
  }

  private boolean isExact(String namespace) {
    return namespace.startsWith(answers.exactNamespace(""));
  }

  /** The partition digest of one of this cache's semantic namespaces, else null. */
  private String partitionOf(String namespace) {
    String prefix = answers.semanticNamespace("");
    return namespace.startsWith(prefix) ? namespace.substring(prefix.length()) : null;
  }
}
