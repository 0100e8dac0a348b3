package dev.cachet.llm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachet.llm.semantic.Embedder;
import dev.cachet.llm.semantic.PairFeatures;
import dev.cachet.llm.semantic.SemanticGuard;
import dev.cachet.llm.semantic.VectorIndex;
import dev.cachet.llm.semantic.Verifier;
import java.time.Duration;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link LlmCache}'s semantic layer: one {@link SemanticPartition} per partition digest, the
 * similarity threshold, the {@link SemanticGuard} and the {@link Verifier} a near match must
 * pass, and the stored prompts' entries in the tiers.
 */
final class SemanticSearch {
  private static final Logger LOG = Logger.getLogger(LlmCache.class.getName());
  /** Neighbours examined per lookup: the guard may reject the nearest ones. */
  private static final int CANDIDATES = 4;
  /** A partition unused this long leaves memory (its prompts stay in the tiers). */
  static final Duration PARTITION_IDLE = Duration.ofHours(1);

  private final EmbeddingCache embeddings;
  private final SemanticGuard guard;
  private final Verifier verifier; // null: similarity and guard decide
  private final ErrorBounds bounds; // null unless error-bounded: then it decides
  private final double threshold;
  private final AnswerTiers tiers;
  private final int annThreshold;
  private final int capacity;
  private final long refreshMillis;
  private final long firstReadWaitMillis;
  /**
   * The partitions in memory: each new conversation prefix makes one, so they are bounded in
   * number and dropped when idle; a dropped one is rebuilt from the tiers on its next use.
   */
  private final Cache<String, SemanticPartition> partitions;

  SemanticSearch(Embedder embedder, SemanticGuard guard, Verifier verifier, ErrorBounds bounds,
      double threshold, AnswerTiers tiers,
      int annThreshold, int capacity, long refreshMillis, int maxPartitions,
      long firstReadWaitMillis) {
    this.firstReadWaitMillis = firstReadWaitMillis;
    this.partitions = Caffeine.newBuilder().maximumSize(maxPartitions)
        .expireAfterAccess(PARTITION_IDLE).executor(Runnable::run).build();
    this.embeddings = new EmbeddingCache(embedder);
    this.guard = guard;
    this.verifier = verifier;
    this.bounds = bounds;
    this.threshold = threshold;
    this.tiers = tiers;
    this.annThreshold = annThreshold;
    this.capacity = capacity;
    this.refreshMillis = refreshMillis;
  }

  Embedder embedder() {
    return embeddings.embedder();
  }

  /**
   * Looks up the keys' partition for a stored prompt near enough to the keys' prompt whose
   * answer is still stored; counts the outcome (an exact match was looked for already).
   */
  Lookup lookup(CallKeys keys, LlmCounters counters) {
    float[] query;
    try {
      query = embeddings.embed(keys.prompt());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Embedding failed; semantic lookup skipped", e);
      counters.misses.increment();
      return Lookup.miss(null, Double.NaN, "no exact match; embedding failed: " + e);
    }
    SemanticPartition partition = partition(keys.partition());
    String nearestPrompt = null;
    double nearest = Double.NaN;
    String rejection = null;
    float[][] queryTokens = null;
    for (VectorIndex.Neighbor n : partition.search(query, CANDIDATES)) {
      String prompt = partition.prompt(n.id());
      if (prompt == null) {
        continue;
      }
      if (nearestPrompt == null) {
        nearestPrompt = prompt;
        nearest = n.similarity();
      }
      if (n.similarity() < threshold) {
        break;
      }
      SemanticGuard.Verdict verdict = guard.check(keys.prompt(), prompt);
      if (verifier != null ? !verifier.passesGuard(verdict) : !verdict.accepted()) {
        counters.guardRejections.increment();
        if (rejection == null) {
          // Only the rule: the detail quotes words of both prompts, and this text reaches
          // logs (the proxy prints it), where no stored prompt may appear.
          rejection = "guard rejected the nearest stored prompt (similarity "
              + String.format(Locale.ROOT, "%.3f", n.similarity()) + ", rule: "
              + verdict.rule() + ")";
          nearestPrompt = prompt;
          nearest = n.similarity();
        }
        continue;
      }
      double score = n.similarity();
      if (verifier != null) {
        if (queryTokens == null) {
          queryTokens = embeddings.tokenVectors(keys.prompt());
        }
        double p = verify(keys.prompt(), queryTokens, prompt, n.similarity(), verdict);
        if (Double.isNaN(p) || (bounds == null && !(p >= verifier.decisionThreshold()))) {
          counters.verifierRejections.increment();
          if (rejection == null) {
            rejection = "verifier rejected the nearest stored prompt (similarity "
                + String.format(Locale.ROOT, "%.3f", n.similarity()) + ", " + (Double.isNaN(p)
                ? "no token vectors to judge it by: see the log"
                : String.format(Locale.ROOT, "probability %.2f < %.2f", p,
                    verifier.decisionThreshold())) + ")";
            nearestPrompt = prompt;
            nearest = n.similarity();
          }
          continue;
        }
        score = p;
      }
      if (bounds != null) {
        double needed = bounds.threshold(keys.partition());
        double wrongAt = bounds.wrongAt(keys.partition(), n.id());
        if (!(score >= needed) || score <= wrongAt) {
          bounds.turnedAway(queryKey(keys), keys.partition(), score, keys.tenantDigest(),
              n.id());
          if (rejection == null) {
            rejection = "error bound " + bounds.maxErrorRate() + ": score "
                + String.format(Locale.ROOT, "%.3f", score) + (score >= needed
                ? " no higher than the " + String.format(Locale.ROOT, "%.3f", wrongAt)
                    + " at which this stored prompt's answer was found wrong"
                : " under this partition's learned " + String.format(Locale.ROOT, "%.3f", needed)
                    + (needed >= 1.0 ? " (not enough labelled candidates yet)" : ""));
            nearestPrompt = prompt;
            nearest = n.similarity();
          }
          continue;
        }
        if (bounds.exploreHit()) {
          bounds.explored(queryKey(keys), keys.partition(), score, keys.tenantDigest(), n.id());
          counters.misses.increment();
          return Lookup.miss(prompt, n.similarity(), "error bound " + bounds.maxErrorRate()
              + ": a hit answered fresh to check it (" + (int) (ErrorBounds.HIT_EXPLORATION * 100)
              + " % of them are)");
        }
      }
      StoredAnswer answer = tiers.load(keys.tenantDigest(), n.id());
      if (answer == null) {
        partition.remove(n.id()); // the answer expired or was removed elsewhere
        continue;
      }
      counters.semanticHits.increment();
      String entryId = keys.entryId(n.id()).toString();
      if (bounds != null) {
        bounds.served(entryId, keys.partition(), score, n.id());
      }
      return new Lookup(Lookup.Outcome.SEMANTIC_HIT, answer.response, answer.chunks,
          entryId, prompt, n.similarity(), "semantic match", answer.storedAt);
    }
    counters.misses.increment();
    if (rejection != null) {
      return Lookup.miss(nearestPrompt, nearest, rejection);
    }
    return Lookup.miss(nearestPrompt, nearest, nearestPrompt == null
        ? "no exact match; no stored prompt in this partition"
        : "no exact match; nearest prompt below the similarity threshold " + threshold);
  }

  /**
   * The verifier's probability that the stored prompt asks what the query asks; NaN (a
   * rejection: a miss costs a call, a wrong hit a wrong answer) when the token vectors cannot
   * be had.
   */
  private double verify(String query, float[][] queryTokens, String stored, double similarity,
      SemanticGuard.Verdict verdict) {
    float[][] storedTokens = queryTokens == null ? null : embeddings.tokenVectors(stored);
    if (storedTokens == null) {
      return Double.NaN;
    }
    return verifier.probability(PairFeatures.of(query, stored, similarity, verdict,
        queryTokens, storedTokens));
  }

  private static String queryKey(CallKeys keys) {
    return keys.tenantDigest() + "/" + keys.exact();
  }

  /**
   * In error-bounded mode, labels the candidate turned away for this query (if any) by
   * comparing its stored answer with the fresh one about to be stored. The candidate's answer
   * is read as a lookup reads it, so it counts in the hits by tier.
   */
  void labelExploration(CallKeys keys, LlmResponse fresh) {
    if (bounds == null) {
      return;
    }
    ErrorBounds.Exploration e = bounds.takeExploration(queryKey(keys));
    if (e == null) {
      return;
    }
    StoredAnswer candidate = tiers.load(e.tenantDigest(), e.candidate());
    if (candidate != null) {
      try {
        bounds.label(e, candidate.response, fresh);
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "Comparing answers failed; the exploration is dropped", ex);
      }
    }
  }

  /**
   * In error-bounded mode, records a user's verdict on a semantic hit this process served.
   *
   * @return whether it was recorded
   */
  boolean feedback(String entryId, boolean correct) {
    return bounds != null && bounds.feedback(entryId, correct);
  }

  /**
   * Adds the keys' prompt, answered by the entry stored under their exact key, to its
   * partition and to the tiers. An embedding failure leaves the answer for exact matches only.
   */
  void add(CallKeys keys, long storedAt) {
    if (bounds != null) {
      bounds.forgetWrong(keys.partition(), keys.exact()); // a new answer: no verdict on it yet
    }
    try {
      float[] vector = embeddings.embed(keys.prompt());
      partition(keys.partition()).add(keys.exact(), keys.prompt(), vector);
      byte[] payload = new SemanticEntry(keys.prompt(), vector)
          .payload(embeddings.embedder().id());
      tiers.putSemantic(keys.partition(), keys.exact(), payload, storedAt);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Embedding failed; the answer is cached for exact matches only",
          e);
    }
  }

  /**
   * Removes a prompt from its partition's index in this process (the tiers are not touched).
   *
   * @return whether it was there
   */
  boolean remove(String partitionDigest, String exact) {
    if (bounds != null) {
      bounds.forgetWrong(partitionDigest, exact);
    }
    SemanticPartition p = partitions.getIfPresent(partitionDigest);
    return p != null && p.remove(exact);
  }

  /**
   * Drops a whole partition from this process's memory; its next use rebuilds it from the
   * tiers, which hold what the other processes kept.
   */
  void forgetPartition(String partitionDigest) {
    partitions.invalidate(partitionDigest);
  }

  /** Drops every partition from this process's memory, as {@link #forgetPartition} does. */
  void forgetAll() {
    partitions.invalidateAll();
  }

  /** The number of prompts in the in-memory indexes. */
  long entries() {
    long entries = 0;
    for (SemanticPartition p : partitions.asMap().values()) {
      entries += p.size();
    }
    return entries;
  }

  /** The number of partitions in memory. */
  long partitionCount() {
    partitions.cleanUp();
    return partitions.estimatedSize();
  }

  private SemanticPartition partition(String digest) {
    SemanticPartition p = partitions.get(digest, d -> new SemanticPartition(d,
        tiers, embeddings.embedder().dimension(), annThreshold, capacity, refreshMillis,
        firstReadWaitMillis));
    p.syncIfStale();
    return p;
  }
}
