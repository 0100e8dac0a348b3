package dev.cachet.llm;

import dev.cachet.llm.semantic.Embedder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The semantic layer's embedder, with the last few prompts' vectors kept: a miss embeds the
 * prompt for its lookup and again when its answer is stored, and an embedding costs
 * milliseconds of CPU. Likewise the token vectors the verifier aligns: the stored prompts that
 * recent queries land near are few and often the same.
 */
final class EmbeddingCache {
  private static final Logger LOG = Logger.getLogger(LlmCache.class.getName());
  private static final int RECENT = 256;
  /** Fewer: a prompt's token vectors weigh tens of kilobytes. */
  private static final int RECENT_TOKENS = 64;

  private final Embedder embedder;
  private final Map<String, float[]> recent = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
          return size() > RECENT;
        }
      });

  private final Map<String, float[][]> recentTokens = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[][]> eldest) {
          return size() > RECENT_TOKENS;
        }
      });

  private final AtomicBoolean warnedNoTokens = new AtomicBoolean();

  EmbeddingCache(Embedder embedder) {
    this.embedder = embedder;
  }

  Embedder embedder() {
    return embedder;
  }

  /** The prompt's vector. */
  float[] embed(String prompt) {
    float[] v = recent.get(prompt);
    if (v == null) {
      v = embedder.embed(prompt);
      recent.put(prompt, v);
    }
    return v;
  }

  /**
   * The prompt's token vectors, or null when the embedder has none or fails (logged): the
   * caller then rejects the candidate.
   */
  float[][] tokenVectors(String prompt) {
    float[][] t = recentTokens.get(prompt);
    if (t == null) {
      try {
        t = embedder.tokenVectors(prompt);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Token vectors failed; the semantic candidate is not served", e);
        return null;
      }
      if (t == null) {
        if (!warnedNoTokens.getAndSet(true)) {
          LOG.warning("The embedder '" + embedder.id() + "' gives no token vectors, so the "
              + "verifier trained for that model rejects every semantic candidate: implement "
              + "Embedder.tokenVectors, or build the LlmCache with noVerifier()");
        }
        return null;
      }
      recentTokens.put(prompt, t);
    }
    return t;
  }
}
